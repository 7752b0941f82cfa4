import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, RepeatingPass, type Logger } from '@parley/observability';
import { authSettings } from '../../../../auth-settings';
import { RefreshIdpMetadataUseCase } from './refresh-idp-metadata.usecase';

/** Refreshes due metadata URLs every SSO_METADATA_REFRESH_INTERVAL_MS (0: never), on each replica. */
@Injectable()
export class MetadataRefreshJob extends RepeatingPass {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) logger: Logger,
    private readonly refresh: RefreshIdpMetadataUseCase,
  ) {
    super(authSettings(config).ssoMetadata.refreshIntervalMs, logger, 'IdP metadata refresh pass failed; will retry');
  }

  protected pass(): Promise<unknown> {
    return this.refresh.execute();
  }
}
