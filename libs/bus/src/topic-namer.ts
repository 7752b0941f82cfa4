/** Maps logical topic names (`tenant.created.v1`) to physical ones, with an optional prefix. */
export class TopicNamer {
  constructor(private readonly prefix: string) {}

  physical(logical: string): string {
    return `${this.prefix}${logical}`;
  }

  logical(physical: string): string {
    return this.prefix && physical.startsWith(this.prefix) ? physical.slice(this.prefix.length) : physical;
  }

  group(name: string): string {
    return `${this.prefix}${name}`;
  }
}
