import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, SSO_OIDC_ROUTES, SSO_TEST_RESULT_PATH, type SsoTestLoginResult } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { authSettings } from '../../../../../auth-settings';
import { isPlausibleEmail, normaliseEmail } from '../../../../accounts/email';
import type { SignedIn } from '../../../../accounts/member-session';
import { SsoConnectionResolver } from '../../../connections/sso-connection-resolver';
import { SsoConnectionsRepository, type OidcConnection } from '../../../connections/sso-connections.repository';
import { SsoSecrets } from '../../../connections/sso-secrets';
import { JitProvisioner, type SsoIdentity } from '../../../jit-provisioner';
import { LoginTrace, SsoRejection } from '../../../login-trace';
import { verifyIdToken } from '../../id-token-checks';
import { OidcDiscovery } from '../../oidc-discovery';
import { IdpCallFailed, OidcHttp } from '../../oidc-http';
import { OidcLoginStore } from '../../oidc-login-store';
import { exchangeCode } from '../../oidc-token-exchange';

export interface CompleteOidcLoginCommand {
  tenantSlug: string;
  code: string | undefined;
  state: string | undefined;
  error: string | undefined;
  errorDescription: string | undefined;
}

/** A successful SSO login: the session (as sign-in answers) and where the browser goes next. */
export type OidcSignedIn = SignedIn & { redirectTo: string };

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The redirect URI. Every check is a step of the login's trace, stored whatever the outcome; a
 * refusal is 401 `sso_login_rejected` with the reason and the trace id. In order: the state is one
 * this tenant issued, taken once (so a replay, an expired state or another tenant's state fails);
 * the IdP sent no error and a code; the connection is enabled unless this is a test login; the code
 * is exchanged (PKCE verifier, exact redirect URI, the sealed client secret); the id_token passes
 * `verifyIdToken`; it carries an email not marked unverified. A test login stops there.
 */
@Injectable()
export class CompleteOidcLoginUseCase {
  private readonly publicUrl: string;

  constructor(
    private readonly resolver: SsoConnectionResolver,
    private readonly store: OidcLoginStore,
    private readonly discovery: OidcDiscovery,
    private readonly http: OidcHttp,
    private readonly secrets: SsoSecrets,
    private readonly connections: SsoConnectionsRepository,
    private readonly provisioner: JitProvisioner,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.publicUrl = authSettings(config).publicUrl;
  }

  async execute(command: CompleteOidcLoginCommand): Promise<OidcSignedIn | SsoTestLoginResult> {
    const { connection, tenantSlug } = await this.resolver.resolve(command.tenantSlug, 'oidc');
    const tenantId = connection.tenantId;
    const trace = new LoginTrace();
    let test = false;
    try {
      const state = command.state && command.state.length <= 128 ? command.state : undefined;
      const pending =
        (state ? await this.store.take(tenantId, state) : null) ??
        trace.fail('state', 'state_invalid', 'The state is unknown, used or expired');
      trace.pass('state', 'issued by this tenant, used once');
      test = pending.test;
      if (command.error !== undefined) {
        const detail = `${command.error}${command.errorDescription ? `: ${command.errorDescription}` : ''}`;
        trace.fail('IdP answer', 'idp_error', detail.slice(0, 200));
      }
      const code = command.code ?? trace.fail('code', 'response_missing', 'The IdP sent no authorization code');
      if (!connection.enabled && !pending.test) {
        trace.fail('connection enabled', 'connection_disabled', 'The connection is disabled');
      }
      const payload = await this.idToken(connection, tenantSlug, code, pending, trace);
      const identity = identityOf(payload, connection, trace);
      if (pending.test) {
        trace.pass('test login', 'every check passed; no member provisioned, no session opened');
        await this.connections.addTrace(tenantId, trace.record(connection.id, null));
        return { test: true, traceId: trace.id, redirectTo: `${SSO_TEST_RESULT_PATH}?test=${trace.id}` };
      }
      const signedIn = await this.provision(connection, identity, trace);
      await this.connections.addTrace(tenantId, trace.record(connection.id, null));
      this.logger.info(
        { tenantId, userId: signedIn.user.id, connectionId: connection.id, traceId: trace.id },
        'OIDC login',
      );
      return { ...signedIn, redirectTo: pending.redirectTo };
    } catch (error) {
      if (!(error instanceof SsoRejection)) throw error;
      await this.connections.addTrace(tenantId, trace.record(connection.id, error));
      this.logger.warn({ tenantId, reason: error.reason, traceId: trace.id }, 'OIDC login refused');
      throw trace.exception(error, test);
    }
  }

  private async idToken(
    connection: OidcConnection,
    tenantSlug: string,
    code: string,
    pending: { nonce: string; verifier: string },
    trace: LoginTrace,
  ): Promise<JWTPayload> {
    const settings = connection.idp;
    try {
      const provider = await this.discovery.metadata(settings.issuer);
      const idToken = await exchangeCode(
        this.http,
        provider,
        {
          code,
          verifier: pending.verifier,
          redirectUri: `${this.publicUrl}${SSO_OIDC_ROUTES.callback(tenantSlug)}`,
          clientId: settings.clientId,
          clientSecret: this.secrets.open(connection),
        },
        trace,
      );
      return await verifyIdToken(
        idToken,
        (refresh) => this.discovery.keys(provider.jwks_uri, refresh),
        {
          issuer: settings.issuer,
          clientId: settings.clientId,
          nonce: pending.nonce,
          algorithms: settings.allowedAlgorithms,
        },
        trace,
      );
    } catch (error) {
      if (error instanceof IdpCallFailed) return trace.fail('identity provider', 'idp_unreachable', error.message);
      throw error;
    }
  }

  /** JIT provisioning; a refusal there (the member limit) is traced and answered as it is. */
  private async provision(connection: OidcConnection, identity: SsoIdentity, trace: LoginTrace): Promise<SignedIn> {
    try {
      const { provisioned, ...signedIn } = await this.provisioner.signIn(connection, identity);
      trace.userId = signedIn.user.id;
      trace.pass('member', provisioned ? 'provisioned just in time' : 'existing member');
      return signedIn;
    } catch (error) {
      if (error instanceof DomainException) {
        trace.pass('member', `refused: ${error.code}`);
        await this.connections.addTrace(connection.tenantId, {
          ...trace.record(connection.id, null),
          outcome: 'rejected',
        });
      }
      throw error;
    }
  }
}

/** The person the verified id_token names: email (required, not unverified), name, groups. */
function identityOf(payload: JWTPayload, connection: OidcConnection, trace: LoginTrace): SsoIdentity {
  const mapping = connection.attributeMapping;
  const claims: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(payload)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string | number | boolean =>
      ['string', 'number', 'boolean'].includes(typeof v),
    );
    claims[name] = values.map((v) => String(v).slice(0, 256)).slice(0, 100);
  }
  delete claims.nonce;
  delete claims.at_hash;
  trace.attributes = claims;
  trace.nameId = text(payload.sub) ?? null;
  const email = normaliseEmail(text(payload[mapping.email ?? 'email']) ?? '');
  if (!isPlausibleEmail(email)) trace.fail('email', 'email_missing', `No email in claim ${mapping.email ?? 'email'}`);
  if (payload.email_verified === false || payload.email_verified === 'false') {
    trace.fail('email', 'email_unverified', `The IdP marks ${email} as unverified`);
  }
  trace.pass('email', email);
  const name = text(payload[mapping.name ?? 'name']) ?? email;
  const raw = payload[connection.idp.groupsClaim];
  const groups = (Array.isArray(raw) ? raw : [raw]).filter((g): g is string => typeof g === 'string');
  return { email, name: name.slice(0, 200), groups };
}
