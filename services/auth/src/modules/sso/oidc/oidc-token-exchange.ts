import type { LoginTrace } from '../login-trace';
import type { OidcProviderMetadata } from './oidc-discovery';
import type { OidcHttp } from './oidc-http';

export interface CodeExchange {
  code: string;
  verifier: string;
  redirectUri: string;
  clientId: string;
  clientSecret: string;
}

/**
 * The authorization code for tokens at the IdP's token endpoint (with the PKCE verifier and our
 * exact redirect URI); the client authenticates with HTTP Basic (`client_secret_basic`) unless the
 * IdP only takes `client_secret_post`. Answers the id_token; the tokens are never traced or stored.
 */
export async function exchangeCode(
  http: OidcHttp,
  provider: OidcProviderMetadata,
  exchange: CodeExchange,
  trace: LoginTrace,
): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: exchange.code,
    redirect_uri: exchange.redirectUri,
    code_verifier: exchange.verifier,
  });
  const methods = provider.token_endpoint_auth_methods_supported;
  const headers: Record<string, string> = {};
  if (methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')) {
    form.set('client_id', exchange.clientId);
    form.set('client_secret', exchange.clientSecret);
  } else {
    const basic = `${encodeURIComponent(exchange.clientId)}:${encodeURIComponent(exchange.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  const answer = await http.postForm(provider.token_endpoint, form, headers);
  const body = (typeof answer.json === 'object' && answer.json !== null ? answer.json : {}) as Record<string, unknown>;
  if (answer.status !== 200) {
    const error = typeof body.error === 'string' ? body.error.slice(0, 100) : `status ${answer.status}`;
    return trace.fail('token exchange', 'token_exchange_failed', `The token endpoint refused the code: ${error}`);
  }
  if (typeof body.id_token !== 'string') {
    return trace.fail('token exchange', 'token_exchange_failed', 'The token endpoint sent no id_token');
  }
  trace.pass('token exchange');
  return body.id_token;
}
