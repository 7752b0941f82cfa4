/** Seconds a client is told to wait (`Retry-After`) when a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** `upstream`: a socket failure whose peer the error does not name. */
export type Dependency = 'postgres' | 'redis' | 'kafka' | 'upstream';

/** Socket-level failures: the peer is not there (refused, reset, unreachable, timed out). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs that mean "the server cannot serve you now", not "your query is wrong":
 * class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect now:
 * "terminating connection due to administrator command", "the database system is starting up"),
 * 53300 (too many connections).
 */
const PG_UNAVAILABLE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** Messages of pg, pg-pool and TypeORM for a lost or missing connection (they carry no code). */
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Driver not Connected|Client has encountered a connection error|Cannot use a pool after calling end|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i;

/** ioredis with the offline queue off / retries exhausted / the socket closed. */
const REDIS_MESSAGES =
  /Stream isn't writeable and enableOfflineQueue options is false|Reached the max retries per request limit|Connection is closed\.|Command timed out/;

function stringField(error: object, field: 'name' | 'message'): string {
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Which dependency an unexpected error says is unavailable, if any: a Postgres, Redis or Kafka
 * outage is a retryable 503 at the edge, never a 500. Looks through TypeORM's `driverError` and
 * `cause` chains (bounded depth).
 */
export function dependencyOutage(error: unknown, depth = 0): Dependency | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const name = stringField(error, 'name');
  const message = stringField(error, 'message');
  const code = codeOf(error);
  if (name.startsWith('KafkaJS')) return 'kafka';
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(message)) return 'redis';
  if (code && PG_UNAVAILABLE.test(code)) return 'postgres';
  if (PG_MESSAGES.test(message)) return 'postgres';
  const inner = (error as { driverError?: unknown }).driverError ?? (error as { cause?: unknown }).cause;
  const fromInner = inner === undefined ? undefined : dependencyOutage(inner, depth + 1);
  return fromInner ?? (code && SOCKET_CODES.has(code) ? socketPeer(error) : undefined);
}

/** `host:port` → dependency, from the service's configuration (registered once at start). */
const peers = new Map<string, Dependency>();

/** Names the service's servers, so a bare socket error (ECONNREFUSED host:port) is attributed. */
export function registerDependencyPeers(servers: Partial<Record<Dependency, readonly string[]>>): void {
  for (const [dependency, addresses] of Object.entries(servers) as [Dependency, readonly string[]][]) {
    for (const address of addresses) {
      const hostPort = address.includes('://') ? new URL(address).host : address;
      peers.set(hostPort.replace(/^localhost:/, '127.0.0.1:'), dependency);
    }
  }
}

/** A socket error names its peer's address and port; the registered servers say which one it is. */
function socketPeer(error: object): Dependency {
  const { address, port } = error as { address?: unknown; port?: unknown };
  return peers.get(`${String(address)}:${String(port)}`) ?? 'upstream';
}
