import { Injectable } from '@nestjs/common';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { OIDC_LIMITS } from '@parley/contracts';
import { IdpCallFailed, OidcHttp } from './oidc-http';

const discoverySchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});
export type OidcProviderMetadata = z.infer<typeof discoverySchema>;

const jwksSchema = z.looseObject({ keys: z.array(z.looseObject({ kty: z.string() })).max(100) });

interface Cached<T> {
  value: T;
  until: number;
}

/**
 * An issuer's discovery document (`/.well-known/openid-configuration`, whose `issuer` must equal the
 * configured one exactly) and its JWKS, fetched through the egress policy and cached for
 * OIDC_LIMITS.discoveryCacheSeconds per replica. The JWKS is fetched again once when a token names
 * a key it does not hold (the IdP rotated its keys).
 */
@Injectable()
export class OidcDiscovery {
  private readonly documents = new Map<string, Cached<OidcProviderMetadata>>();
  private readonly keySets = new Map<string, Cached<JWTVerifyGetKey>>();

  constructor(private readonly http: OidcHttp) {}

  async metadata(issuer: string): Promise<OidcProviderMetadata> {
    const cached = this.documents.get(issuer);
    if (cached && cached.until > Date.now()) return cached.value;
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const answer = await this.http.getJson(url);
    const parsed = discoverySchema.safeParse(answer.json);
    if (answer.status !== 200 || !parsed.success) {
      throw new IdpCallFailed(`${url}: answered ${answer.status} without a discovery document`);
    }
    if (parsed.data.issuer !== issuer) {
      throw new IdpCallFailed(`${url}: names issuer ${parsed.data.issuer}, not ${issuer}`);
    }
    this.documents.set(issuer, { value: parsed.data, until: Date.now() + OIDC_LIMITS.discoveryCacheSeconds * 1000 });
    return parsed.data;
  }

  /** The key set of `jwksUri`; `refresh` fetches it again whatever the cache holds. */
  async keys(jwksUri: string, refresh = false): Promise<JWTVerifyGetKey> {
    const cached = this.keySets.get(jwksUri);
    if (!refresh && cached && cached.until > Date.now()) return cached.value;
    const answer = await this.http.getJson(jwksUri);
    const parsed = jwksSchema.safeParse(answer.json);
    if (answer.status !== 200 || !parsed.success) {
      throw new IdpCallFailed(`${jwksUri}: answered ${answer.status} without a JWKS`);
    }
    const keySet = createLocalJWKSet(parsed.data);
    this.keySets.set(jwksUri, { value: keySet, until: Date.now() + OIDC_LIMITS.discoveryCacheSeconds * 1000 });
    return keySet;
  }
}
