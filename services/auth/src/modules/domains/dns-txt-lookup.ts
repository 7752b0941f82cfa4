import { Resolver } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { authSettings } from '../../auth-settings';
import { dnsUnavailable } from './domain-errors';

/** Answers that mean "there is no such record" rather than "the lookup failed". */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

/**
 * TXT lookups for domain verification, through the configured resolvers (`DNS_RESOLVERS`, else the
 * system's), each bounded by `DNS_TIMEOUT_MS` and asked once. "No such name" and "no TXT record"
 * answer an empty list; a resolver that fails or does not answer is 503 `dns_unavailable`, so a
 * DNS outage never reads as a failed proof.
 */
@Injectable()
export class DnsTxtLookup {
  private readonly resolver: Resolver;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { dnsResolvers, dnsTimeoutMs } = authSettings(config).domains;
    this.resolver = new Resolver({ timeout: dnsTimeoutMs, tries: 1 });
    if (dnsResolvers.length > 0) this.resolver.setServers(dnsResolvers);
  }

  /** Every TXT string published at `name` (the chunks of one record joined, as RFC 7208 reads them). */
  async txt(name: string): Promise<string[]> {
    try {
      const records = await this.resolver.resolveTxt(name);
      return records.map((chunks) => chunks.join(''));
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (NO_RECORD.has(code)) return [];
      throw dnsUnavailable(code);
    }
  }
}
