export const SERVICE_NAMES = ['gateway', 'auth', 'tenant', 'billing', 'chat-orchestrator', 'stt', 'analytics'] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Default HTTP port of each service; the gateway is the only public one. */
export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  gateway: 8000,
  auth: 8001,
  tenant: 8002,
  billing: 8003,
  'chat-orchestrator': 8004,
  stt: 8005,
  analytics: 8006,
};

/** Services that keep data in Postgres (every service but the gateway). */
export const DATABASE_SERVICES: readonly ServiceName[] = SERVICE_NAMES.filter((name) => name !== 'gateway');

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
