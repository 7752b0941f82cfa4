import { X509Certificate } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { LOGGER, ServiceMetrics, type Logger } from '@parley/observability';
import { DATA_SOURCE } from '@parley/tenancy';

/** Name read by the Helm chart's `ParleySsoCertificateExpiring` alert. */
export const SSO_CERTIFICATE_EXPIRY_METRIC = 'sso_idp_certificate_expiry_timestamp_seconds';

/**
 * The expiry (Unix seconds) of every IdP signing certificate of every SAML connection, labelled by
 * tenant, connection and the certificate's position, computed from the database at each scrape (one
 * query; as many series as certificates). The chart alerts when a connection's latest certificate
 * expires within 30 days, so a rollover in progress (old and new configured) does not alert.
 */
@Injectable()
export class SsoCertificateMetrics {
  constructor(metrics: ServiceMetrics, @Inject(DATA_SOURCE) dataSource: DataSource, @Inject(LOGGER) logger: Logger) {
    new Gauge({
      name: SSO_CERTIFICATE_EXPIRY_METRIC,
      help: 'Expiry (Unix time) of each IdP signing certificate of each SAML connection',
      labelNames: ['tenant_id', 'connection_id', 'certificate'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        try {
          const rows = await dataSource.query<{ id: string; tenant_id: string; certificates: string[] }[]>(
            `SELECT id, tenant_id, idp->'certificates' AS certificates FROM auth.sso_connections WHERE protocol = 'saml'`,
          );
          for (const row of rows) {
            row.certificates.forEach((pem, index) => {
              const expiry = Date.parse(new X509Certificate(pem).validTo);
              this.set(
                { tenant_id: row.tenant_id, connection_id: row.id, certificate: String(index) },
                Math.floor(expiry / 1000),
              );
            });
          }
        } catch (error) {
          logger.warn({ err: error }, 'SSO certificate expiry metric not computed');
        }
      },
    });
  }
}
