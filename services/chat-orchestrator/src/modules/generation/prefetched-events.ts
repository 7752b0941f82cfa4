/**
 * An async sequence consumed from the moment it is made, its items held until someone iterates:
 * the provider request goes out while the orchestrator still stores the exchange, and nothing the
 * provider sent meanwhile is lost. Iterate it once; an error of the source is thrown there after
 * the items before it. `settled` resolves when the source ended (whether or not anyone iterated).
 */
export class PrefetchedEvents<T> implements AsyncIterable<T> {
  readonly settled: Promise<void>;
  private readonly items: T[] = [];
  private next = 0;
  private ended = false;
  private failure: { error: unknown } | null = null;
  private wake: (() => void) | null = null;

  constructor(source: AsyncIterable<T>) {
    this.settled = this.pump(source);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      while (this.next < this.items.length) {
        const item = this.items[this.next] as T;
        this.items[this.next++] = undefined as T; // let it go once handed over
        yield item;
      }
      this.items.length = 0;
      this.next = 0;
      if (this.ended) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  private async pump(source: AsyncIterable<T>): Promise<void> {
    try {
      for await (const item of source) {
        this.items.push(item);
        this.wake?.();
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.wake?.();
    }
  }
}
