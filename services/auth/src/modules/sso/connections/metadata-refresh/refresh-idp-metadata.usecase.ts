import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, type SamlIdpSettings } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../auth-settings';
import { IdpMetadataFetcher } from '../idp-metadata-fetcher';
import { idpFromMetadata } from '../usecases/save-sso-connection/save-sso-connection.command';
import { MetadataRefreshRepository, type MetadataSource } from './metadata-refresh.repository';

/** Connections refreshed in one pass at most (the rest wait for the next pass). */
const PASS_LIMIT = 50;

export interface MetadataRefreshOutcome {
  refreshed: number;
  failed: number;
}

/**
 * Reads each metadata URL again once it is SSO_METADATA_MAX_AGE_SECONDS old (daily by default),
 * through the egress policy as on save: the IdP's entity id, SSO URL and signing certificates are
 * replaced by what it publishes now (a certificate rollover the IdP announces in its metadata is
 * picked up without the tenant admin), with the time of the refresh. A failed fetch or a document
 * that no longer parses keeps the settings in use, records the error (the console shows it) and is
 * tried again after a pass interval.
 */
@Injectable()
export class RefreshIdpMetadataUseCase {
  private readonly maxAgeMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly repository: MetadataRefreshRepository,
    private readonly fetcher: IdpMetadataFetcher,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const settings = authSettings(config).ssoMetadata;
    this.maxAgeMs = settings.maxAgeSeconds * 1000;
    this.retryMs = settings.refreshIntervalMs;
  }

  async execute(): Promise<MetadataRefreshOutcome> {
    const outcome = { refreshed: 0, failed: 0 };
    for (let i = 0; i < PASS_LIMIT; i++) {
      const now = Date.now();
      const result = await this.repository.transaction(async (manager) => {
        const source = await this.repository.claimDue(
          manager,
          new Date(now - this.maxAgeMs),
          new Date(now - this.retryMs),
        );
        if (!source) return null;
        const idp = await this.refreshed(source);
        await this.repository.saveIdp(manager, source, idp);
        return idp.metadataRefreshError ? 'failed' : 'refreshed';
      });
      if (result === null) break;
      outcome[result] += 1;
    }
    return outcome;
  }

  private async refreshed(source: MetadataSource): Promise<SamlIdpSettings> {
    const checkedAt = new Date().toISOString();
    try {
      const fresh = idpFromMetadata(await this.fetcher.fetch(source.idp.metadataUrl), source.idp.metadataUrl);
      this.logger.info({ tenantId: source.tenantId, connectionId: source.id }, 'IdP metadata refreshed');
      const { allowIdpInitiated, singleLogout, signAuthnRequests, spCertificate } = source.idp;
      // A hand-entered single logout URL stays when the metadata publishes none.
      const sloUrl = fresh.sloUrl ?? source.idp.sloUrl;
      return {
        ...fresh,
        ...(sloUrl ? { sloUrl } : {}),
        allowIdpInitiated,
        ...(singleLogout !== undefined ? { singleLogout } : {}),
        ...(signAuthnRequests !== undefined ? { signAuthnRequests } : {}),
        ...(spCertificate ? { spCertificate } : {}),
        metadataCheckedAt: checkedAt,
      };
    } catch (error) {
      const message = error instanceof DomainException || error instanceof Error ? error.message : String(error);
      this.logger.warn(
        { tenantId: source.tenantId, connectionId: source.id, reason: message },
        'IdP metadata refresh failed; the settings in use are kept',
      );
      return { ...source.idp, metadataCheckedAt: checkedAt, metadataRefreshError: message.slice(0, 300) };
    }
  }
}
