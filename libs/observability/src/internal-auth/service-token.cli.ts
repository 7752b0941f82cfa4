import { loadInternalAuth } from '@parley/config';
import { SERVICE_CREDENTIAL_HEADER } from '@parley/contracts';
import { InternalTokens } from './internal-tokens';

/**
 * Prints a service credential header (valid 60 s) for calling `internal/...` routes by hand:
 * `curl -H "$(npm run -s service-token)" localhost:8002/internal/tenants`. It signs with
 * INTERNAL_AUTH_SECRET from the environment, or the development key when it is unset.
 */
async function main(): Promise<void> {
  const { secret } = loadInternalAuth(process.env);
  const token = await new InternalTokens(secret, 'operator').serviceCredential();
  process.stdout.write(`${SERVICE_CREDENTIAL_HEADER}: ${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
