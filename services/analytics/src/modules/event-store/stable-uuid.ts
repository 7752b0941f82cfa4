import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID that depends only on `value` (a UUID stays itself): row ids and provider dedupe keys of redelivered events. */
export function stableUuid(value: string): string {
  if (UUID.test(value)) return value;
  const h = createHash('sha1').update(value).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
