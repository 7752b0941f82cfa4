import { randomUUID } from 'node:crypto';
import type { KeycloakEnv } from './keycloak-server';

export interface KeycloakUser {
  username: string;
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
  /** Group names (top-level groups, created with createGroup first). */
  groups?: string[];
}

export interface SamlClientOptions {
  /** Our service provider's entity id (Keycloak's client id). */
  entityId: string;
  /** Our assertion consumer service URL (HTTP-POST). */
  acsUrl: string;
  /** Keycloak signs assertions (default) and/or the whole response. */
  signAssertions?: boolean;
  signDocuments?: boolean;
  /** Adds a `groups` attribute with the user's group names (default true). */
  groupsAttribute?: boolean;
  /**
   * Single logout: our SLO URL (Keycloak's "Logout Service Redirect/POST Binding URL"), front
   * channel (through the browser) unless `backchannelLogout`, and our signing certificate (base64
   * DER or PEM): Keycloak then requires our LogoutRequests signed by it.
   */
  singleLogout?: { url: string; signingCertificate: string; backchannel?: boolean };
  /** "Client signature required" with our certificate (base64 DER or PEM): unsigned requests refused. */
  requireSignedRequests?: string;
}

export interface OidcClientOptions {
  clientId: string;
  redirectUris: string[];
  /** Confidential client with this secret; public (PKCE only) when absent. */
  secret?: string;
  /** Adds a `groups` claim (group names) to the id_token (default true). */
  groupsClaim?: boolean;
}

/**
 * Keycloak's admin REST API for test setup: realms, SAML and OIDC clients, groups and users. The
 * admin token (master realm, admin-cli) is fetched again when it is older than 30 s.
 */
export class KeycloakAdmin {
  private token = '';
  private tokenAt = 0;

  private constructor(private readonly env: KeycloakEnv) {}

  static async connect(env: KeycloakEnv): Promise<KeycloakAdmin> {
    const admin = new KeycloakAdmin(env);
    await admin.accessToken();
    return admin;
  }

  get url(): string {
    return this.env.url;
  }

  /** A new realm with a unique name (prefix + random), enabled. Returns its name. */
  async createRealm(prefix = 'parley'): Promise<string> {
    const realm = `${prefix}-${randomUUID().slice(0, 8)}`;
    await this.call('POST', '/admin/realms', { realm, enabled: true, sslRequired: 'none' });
    return realm;
  }

  async deleteRealm(realm: string): Promise<void> {
    await this.call('DELETE', `/admin/realms/${realm}`);
  }

  /** The realm's SAML IdP metadata (EntityDescriptor XML, with its signing certificate). */
  async samlIdpMetadata(realm: string): Promise<string> {
    const res = await fetch(`${this.url}/realms/${realm}/protocol/saml/descriptor`);
    if (!res.ok) throw new Error(`SAML descriptor of ${realm}: ${res.status}`);
    return res.text();
  }

  /** The realm's OIDC issuer URL (discovery at `${issuer}/.well-known/openid-configuration`). */
  oidcIssuer(realm: string): string {
    return `${this.url}/realms/${realm}`;
  }

  async createSamlClient(realm: string, options: SamlClientOptions): Promise<void> {
    const mappers: object[] = [
      {
        name: 'email',
        protocol: 'saml',
        protocolMapper: 'saml-user-property-mapper',
        config: { 'user.attribute': 'email', 'attribute.name': 'email', 'attribute.nameformat': 'Basic' },
      },
      {
        name: 'firstName',
        protocol: 'saml',
        protocolMapper: 'saml-user-property-mapper',
        config: { 'user.attribute': 'firstName', 'attribute.name': 'firstName', 'attribute.nameformat': 'Basic' },
      },
    ];
    if (options.groupsAttribute !== false) {
      mappers.push({
        name: 'groups',
        protocol: 'saml',
        protocolMapper: 'saml-group-membership-mapper',
        config: { 'attribute.name': 'groups', 'full.path': 'false', single: 'false', 'attribute.nameformat': 'Basic' },
      });
    }
    await this.call('POST', `/admin/realms/${realm}/clients`, {
      clientId: options.entityId,
      protocol: 'saml',
      enabled: true,
      frontchannelLogout: options.singleLogout ? !options.singleLogout.backchannel : false,
      redirectUris: [options.acsUrl],
      attributes: {
        'saml.assertion.signature': String(options.signAssertions ?? true),
        'saml.server.signature': String(options.signDocuments ?? false),
        'saml.signature.algorithm': 'RSA_SHA256',
        'saml.client.signature': 'false',
        'saml.authnstatement': 'true',
        saml_force_name_id_format: 'true',
        saml_name_id_format: 'email',
        saml_assertion_consumer_url_post: options.acsUrl,
        ...(options.requireSignedRequests
          ? {
              'saml.client.signature': 'true',
              'saml.signing.certificate': options.requireSignedRequests
                .replace(/-----[A-Z ]+-----/g, '')
                .replace(/\s+/g, ''),
            }
          : {}),
        ...(options.singleLogout
          ? {
              'saml.client.signature': 'true',
              'saml.signing.certificate': options.singleLogout.signingCertificate
                .replace(/-----[A-Z ]+-----/g, '')
                .replace(/\s+/g, ''),
              saml_single_logout_service_url_redirect: options.singleLogout.url,
              saml_single_logout_service_url_post: options.singleLogout.url,
            }
          : {}),
      },
      protocolMappers: mappers,
    });
  }

  async createOidcClient(realm: string, options: OidcClientOptions): Promise<void> {
    await this.call('POST', `/admin/realms/${realm}/clients`, {
      clientId: options.clientId,
      protocol: 'openid-connect',
      enabled: true,
      publicClient: options.secret === undefined,
      secret: options.secret,
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
      redirectUris: options.redirectUris,
      attributes: { 'pkce.code.challenge.method': 'S256' },
      protocolMappers:
        options.groupsClaim === false
          ? []
          : [
              {
                name: 'groups',
                protocol: 'openid-connect',
                protocolMapper: 'oidc-group-membership-mapper',
                config: {
                  'full.path': 'false',
                  'id.token.claim': 'true',
                  'access.token.claim': 'true',
                  'userinfo.token.claim': 'true',
                  'claim.name': 'groups',
                },
              },
            ],
    });
  }

  /**
   * A new generated RSA signing key for the realm; with a priority above the current key's (100)
   * Keycloak signs with it from now on: a key rollover at the IdP.
   */
  async addSigningKey(realm: string, name: string, priority = 200): Promise<void> {
    const { id } = (await (await this.call('GET', `/admin/realms/${realm}`)).json()) as { id: string };
    await this.call('POST', `/admin/realms/${realm}/components`, {
      name,
      providerId: 'rsa-generated',
      providerType: 'org.keycloak.keys.KeyProvider',
      parentId: id,
      config: {
        priority: [String(priority)],
        keySize: ['2048'],
        algorithm: ['RS256'],
        active: ['true'],
        enabled: ['true'],
      },
    });
  }

  /**
   * Front channel (through the browser) or back channel (Keycloak posts the LogoutRequest to the
   * client's SLO URL itself, as when the admin signs a user out) logout for a client.
   */
  async setFrontchannelLogout(realm: string, clientId: string, frontchannel: boolean): Promise<void> {
    const found = await this.call('GET', `/admin/realms/${realm}/clients?clientId=${encodeURIComponent(clientId)}`);
    const [client] = (await found.json()) as { id: string }[];
    if (!client) throw new Error(`Keycloak client ${clientId} not found`);
    await this.call('PUT', `/admin/realms/${realm}/clients/${client.id}`, {
      ...client,
      frontchannelLogout: frontchannel,
    });
  }

  /** How many sessions Keycloak holds for a user (0 once logged out everywhere). */
  async userSessionCount(realm: string, userId: string): Promise<number> {
    const res = await this.call('GET', `/admin/realms/${realm}/users/${userId}/sessions`);
    return ((await res.json()) as unknown[]).length;
  }

  /** The admin console's "Sign out" of a user: Keycloak ends their sessions and tells the clients. */
  async logoutUser(realm: string, userId: string): Promise<void> {
    await this.call('POST', `/admin/realms/${realm}/users/${userId}/logout`);
  }

  async createGroup(realm: string, name: string): Promise<void> {
    await this.call('POST', `/admin/realms/${realm}/groups`, { name });
  }

  /** A user with a password (no required actions), in the named groups. Returns the user id. */
  async createUser(realm: string, user: KeycloakUser): Promise<string> {
    const res = await this.call('POST', `/admin/realms/${realm}/users`, {
      username: user.username,
      email: user.email,
      emailVerified: true,
      firstName: user.firstName ?? 'Test',
      lastName: user.lastName ?? 'User',
      enabled: true,
      requiredActions: [],
      credentials: [{ type: 'password', value: user.password, temporary: false }],
      groups: (user.groups ?? []).map((g) => `/${g}`),
    });
    const location = res.headers.get('location') ?? '';
    return location.slice(location.lastIndexOf('/') + 1);
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() - this.tokenAt < 30_000) return this.token;
    const res = await fetch(`${this.url}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'admin-cli',
        username: this.env.adminUser,
        password: this.env.adminPassword,
      }),
    });
    if (!res.ok) throw new Error(`Keycloak admin token: ${res.status} ${await res.text()}`);
    this.token = ((await res.json()) as { access_token: string }).access_token;
    this.tokenAt = Date.now();
    return this.token;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`Keycloak ${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  }
}
