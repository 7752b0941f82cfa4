import { isIPv4, isIPv6 } from 'node:net';

/** What an address is, for the egress policy: only `public` is reachable without an allowlist. */
export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'unspecified' | 'multicast' | 'metadata' | 'reserved';

/**
 * An IPv4 address written any way inet_aton and the WHATWG URL parser accept it (`127.0.0.1`,
 * `2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`) as a 32-bit number, or null when it is none.
 */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => p === '')) return null;
  const values: number[] = [];
  for (const part of parts) {
    const value = /^0x[0-9a-f]*$/i.test(part)
      ? parseInt(part.slice(2) || '0', 16)
      : /^0[0-7]+$/.test(part)
        ? parseInt(part, 8)
        : /^(0|[1-9][0-9]*)$/.test(part)
          ? Number(part)
          : NaN;
    if (!Number.isFinite(value)) return null;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return null;
  return values.reduce((acc, v, i) => acc + v * 2 ** (8 * (3 - i)), 0) + last;
}

/** An IPv6 address as 8 16-bit groups (an embedded IPv4 tail becomes the last two), or null. */
export function parseIpv6(text: string): number[] | null {
  let address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(address)) return null;
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (v4tail) {
    const n = parseIpv4(v4tail) as number;
    address = `${address.slice(0, -v4tail.length)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const groups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const halves = address.split('::');
  if (halves.length === 1) {
    const all = groups(address);
    return all.length === 8 ? all : null;
  }
  const left = groups(halves[0] ?? '');
  const right = groups(halves[1] ?? '');
  const missing = 8 - left.length - right.length;
  return missing >= 1 ? [...left, ...new Array<number>(missing).fill(0), ...right] : null;
}

const v4 = (a: number, b: number, c: number, d: number) => ((a * 256 + b) * 256 + c) * 256 + d;
const inV4 = (n: number, base: number, bits: number) =>
  Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits));

function classifyIpv4(n: number): AddressClass {
  if (n === v4(169, 254, 169, 254)) return 'metadata';
  if (inV4(n, 0, 8)) return 'unspecified';
  if (inV4(n, v4(127, 0, 0, 0), 8)) return 'loopback';
  if (inV4(n, v4(10, 0, 0, 0), 8) || inV4(n, v4(172, 16, 0, 0), 12) || inV4(n, v4(192, 168, 0, 0), 16)) {
    return 'private';
  }
  if (inV4(n, v4(169, 254, 0, 0), 16)) return 'link-local';
  if (inV4(n, v4(100, 64, 0, 0), 10)) return 'cgnat';
  if (inV4(n, v4(224, 0, 0, 0), 4)) return 'multicast';
  // 192.0.0.0/24 (IETF), 198.18.0.0/15 (benchmarking), 240.0.0.0/4 (reserved, broadcast)
  if (inV4(n, v4(192, 0, 0, 0), 24) || inV4(n, v4(198, 18, 0, 0), 15) || inV4(n, v4(240, 0, 0, 0), 4)) {
    return 'reserved';
  }
  return 'public';
}

function classifyIpv6(g: number[]): AddressClass {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g6 = 0, h = 0] = g;
  const embedded = g6 * 65536 + h;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0) {
    if (f === 0xffff) return classifyIpv4(embedded); // ::ffff:a.b.c.d (IPv4-mapped)
    if (f === 0 && g6 === 0 && h === 0) return 'unspecified';
    if (f === 0 && g6 === 0 && h === 1) return 'loopback';
    if (f === 0) return classifyIpv4(embedded); // ::a.b.c.d (IPv4-compatible, deprecated)
  }
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return classifyIpv4(embedded); // NAT64
  if (a === 0xfd00 && b === 0x0ec2 && c === 0 && d === 0 && e === 0 && f === 0 && g6 === 0 && h === 0x254) {
    return 'metadata'; // fd00:ec2::254 (AWS)
  }
  if ((a & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 (ULA)
  if ((a & 0xffc0) === 0xfe80) return 'link-local';
  if ((a & 0xff00) === 0xff00) return 'multicast';
  if (a === 0x2002) return classifyIpv4(b * 65536 + c); // 6to4 carries an IPv4 address
  if (a === 0x2001 && b === 0x0db8) return 'reserved'; // documentation
  return 'public';
}

/** The class of an address literal (IPv4 in any inet_aton form, IPv6, IPv4-mapped IPv6); null when it is no address. */
export function classifyAddress(address: string): AddressClass | null {
  const host = address.replace(/^\[|\]$/g, '');
  if (host.includes(':')) {
    const groups = parseIpv6(host);
    return groups ? classifyIpv6(groups) : null;
  }
  const n = isIPv4(host) ? parseIpv4(host) : parseIpv4(host.toLowerCase());
  return n === null ? null : classifyIpv4(n);
}
