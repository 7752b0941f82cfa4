/** Text from data (tenant and people names) made safe for a subject line or a line of a mail. */
export function oneLine(value: string, max = 200): string {
  const flat = value.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
