import type { LookupAddress, LookupAllOptions, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainException, ErrorCode } from '@parley/contracts';
import { classifyAddress, parseIpv4, parseIpv6 } from './ip-address';

/** The operator's egress settings for tenant-supplied URLs (see docs/configuration.md). */
export interface EgressConfig {
  /** `http:` URLs are allowed (default: self-hosted yes, cloud no). */
  allowHttp: boolean;
  /** Loopback, private, link-local, CGNAT addresses are allowed (default: self-hosted yes, cloud no). */
  allowPrivate: boolean;
  /** Hosts (exact, lower case) and CIDR ranges allowed whatever their class (metadata included). */
  allowlist: string[];
}

type Range = { v: 4; base: number; bits: number } | { v: 6; base: number[]; bits: number };

/** Private and similar classes an operator may open with EGRESS_ALLOW_PRIVATE. */
const PRIVATE_CLASSES = new Set(['loopback', 'private', 'link-local', 'cgnat']);
type NodeLookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * The one check of a URL a tenant gives us (a BYOK `baseUrl` today; SSO metadata and webhooks
 * next), on save and again at each connection. In cloud mode (by default) only `https:` to public
 * addresses: never loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified, multicast,
 * reserved or a cloud metadata address (169.254.169.254, fd00:ec2::254), in any spelling (decimal,
 * octal, hex IPv4, IPv4-mapped IPv6), unless the operator's allowlist names the host or range.
 * `lookup` is a drop-in `lookup` for node:http(s) requests: the socket connects to the very
 * address it checked, so a name that resolves differently later (DNS rebinding) cannot slip by.
 */
export class EgressPolicy {
  private readonly hosts: Set<string>;
  private readonly ranges: Range[];

  constructor(private readonly config: EgressConfig) {
    this.hosts = new Set(config.allowlist.filter((entry) => !entry.includes('/')).map((h) => h.toLowerCase()));
    this.ranges = config.allowlist.filter((entry) => entry.includes('/')).map(parseRange);
  }

  /**
   * Checks a URL and every address its host resolves to now; throws 400 `egress_denied`. A name
   * that does not resolve yet is accepted here: nothing can be called at it, and every connection
   * is checked again (`lookup`), which is the check that counts.
   */
  async checkUrl(raw: string): Promise<void> {
    const url = this.parse(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.hosts.has(host)) return;
    if (classifyAddress(host) !== null) {
      this.assertAddress(host, host);
      return;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await dnsLookup(host, { all: true, verbatim: true });
    } catch {
      return;
    }
    for (const { address } of addresses) this.assertAddress(host, address);
  }

  /**
   * For protocols other than http(s) (LDAP): resolves a host and answers the address to connect to,
   * after checking every address it resolves to, so the socket goes to the very address checked.
   * Throws `egress_denied` (or the resolver's error when the name does not resolve).
   */
  async resolveConnectable(hostname: string): Promise<string> {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (classifyAddress(host) !== null) {
      if (!this.hosts.has(host)) this.assertAddress(host, host);
      return host;
    }
    const addresses = await dnsLookup(host, { all: true, verbatim: true });
    if (!this.hosts.has(host)) for (const { address } of addresses) this.assertAddress(host, address);
    const first = addresses[0];
    if (!first) throw denied(`${host} does not resolve`);
    return first.address;
  }

  /** Whether a protocol without TLS (`http:`, plain `ldap:` without StartTLS) may be used. */
  get allowsPlaintext(): boolean {
    return this.config.allowHttp;
  }

  /**
   * Before calling a tenant's URL: throws `egress_denied` for a protocol without TLS (`http:`,
   * `ws:`) the policy does not allow, or a literal address it refuses. Names are checked again
   * at connect time (`lookup`).
   */
  assertCallable(url: URL): void {
    if ((url.protocol === 'http:' || url.protocol === 'ws:') && !this.config.allowHttp) {
      throw denied(`${url.protocol.slice(0, -1)} is not allowed, only ${url.protocol === 'ws:' ? 'wss' : 'https'}`);
    }
    this.assertConnectable(url);
  }

  /** Throws `egress_denied` unless a connection to this address (a literal, no DNS) is allowed. */
  assertConnectable(url: URL): void {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.hosts.has(host)) return;
    if (classifyAddress(host) !== null) this.assertAddress(host, host);
  }

  /** A `lookup` for node:http(s): resolves, then refuses unless every address is allowed. */
  readonly lookup = (
    hostname: string,
    options: LookupOptions | LookupAllOptions | number,
    callback: NodeLookupCallback,
  ): void => {
    const family = typeof options === 'number' ? options : (options.family ?? 0);
    const all = typeof options === 'object' && options.all === true;
    dnsLookup(hostname, { all: true, verbatim: true, family: family === 'IPv4' ? 4 : family === 'IPv6' ? 6 : family })
      .then((addresses) => {
        const host = hostname.toLowerCase();
        if (!this.hosts.has(host)) for (const { address } of addresses) this.assertAddress(host, address);
        const first = addresses[0];
        if (!first) throw denied(`${host} does not resolve`);
        if (all) callback(null, addresses);
        else callback(null, first.address, first.family);
      })
      .catch((error: unknown) => callback(error as NodeJS.ErrnoException, '', 0));
  };

  private parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw denied('not a URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.config.allowHttp)) {
      throw denied(this.config.allowHttp ? 'only http(s) URLs' : 'only https URLs are allowed');
    }
    if (url.username || url.password) throw denied('credentials in the URL are not allowed');
    return url;
  }

  private assertAddress(host: string, address: string): void {
    const kind = classifyAddress(address) ?? 'reserved';
    if (kind === 'public' || this.inAllowlist(address)) return;
    if (this.config.allowPrivate && PRIVATE_CLASSES.has(kind)) return;
    throw denied(`${host} is a ${kind} address`);
  }

  private inAllowlist(address: string): boolean {
    return this.ranges.some((range) => inRange(range, address));
  }
}

function denied(reason: string): DomainException {
  return new DomainException(ErrorCode.EgressDenied, `This address may not be called: ${reason}`, { reason });
}

function parseRange(entry: string): Range {
  const [base = '', bitsText = ''] = entry.split('/');
  const bits = Number(bitsText);
  if (isIP(base) === 4) return { v: 4, base: parseIpv4(base) as number, bits };
  return { v: 6, base: parseIpv6(base) as number[], bits };
}

function inRange(range: Range, address: string): boolean {
  if (range.v === 4) {
    const n = isIP(address) === 4 ? parseIpv4(address) : null;
    const mapped = n === null ? parseIpv6(address) : null;
    const value =
      n ??
      (mapped && mapped.slice(0, 6).join(',') === '0,0,0,0,0,65535'
        ? (mapped[6] ?? 0) * 65536 + (mapped[7] ?? 0)
        : null);
    if (value === null) return false;
    const size = 2 ** (32 - range.bits);
    return Math.floor(value / size) === Math.floor(range.base / size);
  }
  const groups = parseIpv6(address);
  if (!groups) return false;
  for (let bit = 0; bit < range.bits; bit += 16) {
    const take = Math.min(16, range.bits - bit);
    const shift = 16 - take;
    const i = bit / 16;
    if (Math.floor((groups[i] ?? 0) / 2 ** shift) !== Math.floor((range.base[i] ?? 0) / 2 ** shift)) return false;
  }
  return true;
}
