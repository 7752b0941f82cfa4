import { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured. Without one, no SDK runs and
 * trace context still travels in `traceparent` headers (see RequestContext).
 */
export function startTracing(service: string, otlpEndpoint: string | null): void {
  if (!otlpEndpoint || sdk) return;
  sdk = new NodeSDK({ serviceName: `parley-${service}` });
  sdk.start();
}

export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
