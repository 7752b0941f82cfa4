import { randomUUID } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { ensureInfra, type InfraEnv } from './infra-env';
import { jaegerRunDir, stopJaeger } from './jaeger/jaeger-server';
import { keycloakRunDir, stopKeycloak } from './keycloak/keycloak-server';
import { pruneTestTopics } from './prune-test-topics';
import { stopStripeMock, stripeMockRunDir } from './stripe-mock/stripe-mock-server';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraEnv;
  }
}

/**
 * Vitest global setup of the integration project: real infrastructure up before any test, and the
 * topics earlier runs left behind deleted (see pruneTestTopics). Keycloak is not started here: the
 * first test file that needs it starts it (`sharedKeycloak`), the others of this run reuse it, and
 * the teardown returned here stops it, so a run without SSO tests does not pay its ~25 s start.
 * Jaeger (the tracing tests' trace store, `sharedJaeger`) is started and stopped the same way.
 * stripe-mock (the billing tests' Stripe) is started and stopped the same way (`sharedStripeMock`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomUUID();
  process.env.PARLEY_TEST_RUN_ID = runId;
  const infra = ensureInfra();
  process.env.PARLEY_TEST_INFRA = JSON.stringify(infra);
  project.provide('infra', infra);
  try {
    const deleted = await pruneTestTopics(infra.KAFKA_BROKERS);
    if (deleted > 0) process.stdout.write(`test setup: deleted ${deleted} topics left by earlier test runs\n`);
  } catch (error) {
    process.stdout.write(`test setup: could not prune old test topics (${String(error)})\n`);
  }
  return async () => {
    await stopKeycloak(keycloakRunDir(runId));
    await stopJaeger(jaegerRunDir(runId));
    await stopStripeMock(stripeMockRunDir(runId));
  };
}
