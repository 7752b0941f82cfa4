import { Inject, Injectable } from '@nestjs/common';
import type { Profile } from '@node-saml/node-saml';
import {
  DomainException,
  SSO_TEST_RESULT_PATH,
  type AttributeMapping,
  type SsoTestLoginResult,
} from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { isPlausibleEmail, normaliseEmail } from '../../../../accounts/email';
import type { SignedIn } from '../../../../accounts/member-session';
import { SsoConnectionsRepository } from '../../../connections/sso-connections.repository';
import { JitProvisioner, type SsoIdentity } from '../../../jit-provisioner';
import { LoginTrace, SsoRejection } from '../../../login-trace';
import { safeRelayPath } from '../../relay-state';
import { SamlSessionsRepository } from '../../saml-sessions.repository';
import { checkVerifiedAssertion } from '../../saml-assertion-checks';
import { SamlConnectionResolver } from '../../saml-connection-resolver';
import { inspectSamlResponse } from '../../saml-response-inspector';
import { reasonOfSamlError, SAML_CLOCK_SKEW_MS, samlFor } from '../../saml-service-provider';
import { SamlAssertionLedger, type RedisSamlRequestCache } from '../../saml-stores';

export interface ConsumeSamlResponseCommand {
  tenantSlug: string;
  samlResponse: string | undefined;
  relayState: string | undefined;
}

/** A successful SSO login: the session (as sign-in answers) and where the browser goes next. */
export type SsoSignedIn = SignedIn & { redirectTo: string };

/**
 * The assertion consumer service. Every check is a step of the login's trace, which is stored
 * (the newest per connection) whatever the outcome; a refusal is 401 `sso_login_rejected` with the
 * reason and the trace id. In order: the response's shape (size, no DOCTYPE, no comments, signed,
 * SHA-256+, Destination); no assertion id seen before; RelayState is ours; node-saml verifies the
 * signature against the connection's certificates, InResponseTo against this tenant's pending
 * requests (taken once), audience and time window (±60 s); the connection is enabled unless the
 * request was a test login; then on the verified assertion only: issuer, Recipient, the id recorded
 * (a replay fails), the email. A test login stops there: trace recorded, no member, no session.
 */
@Injectable()
export class ConsumeSamlResponseUseCase {
  constructor(
    private readonly resolver: SamlConnectionResolver,
    private readonly ledger: SamlAssertionLedger,
    private readonly connections: SsoConnectionsRepository,
    private readonly provisioner: JitProvisioner,
    private readonly links: SamlSessionsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: ConsumeSamlResponseCommand): Promise<SsoSignedIn | SsoTestLoginResult> {
    const { connection, sp } = await this.resolver.resolve(command.tenantSlug);
    const tenantId = connection.tenantId;
    const trace = new LoginTrace();
    let test = false;
    const cache = this.ledger.requestCache(tenantId);
    try {
      const inspected = inspectSamlResponse(command.samlResponse, sp.acsUrl, trace);
      for (const id of inspected.assertionIds) {
        if (await this.ledger.seen(tenantId, id)) {
          trace.fail('assertion not replayed', 'assertion_replayed', `Assertion ${id} was already used`);
        }
      }
      const redirectTo =
        safeRelayPath(command.relayState) ??
        trace.fail('relay state', 'relay_state_invalid', 'RelayState is not a path of ours');
      const profile = await this.validate(command.samlResponse ?? '', connection, sp, cache, trace);
      const inResponseTo = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : undefined;
      test = cache.wasTest(inResponseTo);
      if (inResponseTo === undefined) trace.pass('IdP-initiated', 'no InResponseTo: allowed by this connection');
      if (!connection.enabled && !test) {
        trace.fail('connection enabled', 'connection_disabled', 'The connection is disabled');
      }
      const checked = checkVerifiedAssertion(
        profile.getAssertionXml?.() ?? '',
        { issuer: connection.idp.entityId, acsUrl: sp.acsUrl },
        trace,
      );
      const keepMs = checked.validUntilMs - Date.now() + SAML_CLOCK_SKEW_MS;
      if (!(await this.ledger.accept(tenantId, checked.id, keepMs))) {
        trace.fail('assertion not replayed', 'assertion_replayed', `Assertion ${checked.id} was already used`);
      }
      trace.pass('assertion not replayed', checked.id);
      const identity = identityOf(profile, connection.attributeMapping, trace);
      if (test) {
        trace.pass('test login', 'every check passed; no member provisioned, no session opened');
        await this.connections.addTrace(tenantId, trace.record(connection.id, null));
        return { test: true, traceId: trace.id, redirectTo: `${SSO_TEST_RESULT_PATH}?test=${trace.id}` };
      }
      const signedIn = await this.provision(connection, identity, trace, profile);
      await this.connections.addTrace(tenantId, trace.record(connection.id, null));
      this.logger.info(
        { tenantId, userId: signedIn.user.id, connectionId: connection.id, traceId: trace.id },
        'SAML login',
      );
      return { ...signedIn, redirectTo };
    } catch (error) {
      if (!(error instanceof SsoRejection)) throw error;
      await this.connections.addTrace(tenantId, trace.record(connection.id, error));
      this.logger.warn({ tenantId, reason: error.reason, traceId: trace.id }, 'SAML login refused');
      throw trace.exception(error, test || cache.tookTest());
    }
  }

  private async validate(
    encoded: string,
    connection: Parameters<typeof samlFor>[0],
    sp: Parameters<typeof samlFor>[1],
    cache: RedisSamlRequestCache,
    trace: LoginTrace,
  ): Promise<Profile> {
    const saml = samlFor(connection, sp, cache);
    let profile: Profile | null;
    try {
      ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: encoded }));
    } catch (error) {
      const { reason, message } = reasonOfSamlError(error);
      return trace.fail('signature, InResponseTo, audience, validity', reason, message);
    }
    if (!profile) return trace.fail('assertion', 'response_malformed', 'The response carries no assertion');
    trace.pass('signature, InResponseTo, audience, validity', `certificates: ${connection.idp.certificates.length}`);
    return profile;
  }

  /** JIT provisioning; a refusal there (the member limit) is traced and answered as it is. */
  private async provision(
    connection: Parameters<JitProvisioner['signIn']>[0],
    identity: SsoIdentity,
    trace: LoginTrace,
    profile: Profile,
  ): Promise<SignedIn> {
    try {
      // The NameID and SessionIndex stay with the session: single logout names them.
      const signedIn = await this.provisioner.signIn(connection, identity, (manager, sessionId) =>
        this.links.record(manager, {
          sessionId,
          tenantId: connection.tenantId,
          connectionId: connection.id,
          nameId: (profile.nameID ?? identity.email).slice(0, 1024),
          nameIdFormat: profile.nameIDFormat?.slice(0, 256) ?? null,
          sessionIndex: typeof profile.sessionIndex === 'string' ? profile.sessionIndex.slice(0, 1024) : null,
        }),
      );
      trace.userId = signedIn.user.id;
      trace.pass('member', signedIn.provisioned ? 'provisioned just in time' : 'existing member');
      const { provisioned: _provisioned, ...rest } = signedIn;
      return rest;
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

/** The person the verified assertion names: email (mapped attribute, else the NameID), name, groups. */
function identityOf(profile: Profile, mapping: AttributeMapping, trace: LoginTrace): SsoIdentity {
  const attributes = stringAttributes(profile.attributes);
  trace.attributes = attributes;
  trace.nameId = profile.nameID ?? null;
  const fromAttribute = mapping.email ? attributes[mapping.email]?.[0] : undefined;
  const email = normaliseEmail(fromAttribute ?? profile.nameID ?? '');
  if (!isPlausibleEmail(email)) {
    trace.fail(
      'email',
      'email_missing',
      mapping.email ? `No email in attribute ${mapping.email} or the NameID` : 'The NameID is not an email',
    );
  }
  trace.pass('email', email);
  const name = (mapping.name ? attributes[mapping.name]?.[0] : undefined) ?? attributes.firstName?.[0] ?? email;
  const groups = mapping.groups ? (attributes[mapping.groups] ?? []) : [];
  return { email, name: name.slice(0, 200), groups };
}

function stringAttributes(raw: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    out[name] = values.map((v) => v.slice(0, 256)).slice(0, 100);
  }
  return out;
}
