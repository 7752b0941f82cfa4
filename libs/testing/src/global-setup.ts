import type { TestProject } from 'vitest/node';
import { ensureInfra, type InfraEnv } from './infra-env';
import { pruneTestTopics } from './prune-test-topics';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraEnv;
  }
}

/**
 * Vitest global setup of the integration project: real infrastructure up before any test, and the
 * topics earlier runs left behind deleted (see pruneTestTopics).
 */
export default async function setup(project: TestProject): Promise<void> {
  const infra = ensureInfra();
  process.env.PARLEY_TEST_INFRA = JSON.stringify(infra);
  project.provide('infra', infra);
  try {
    const deleted = await pruneTestTopics(infra.KAFKA_BROKERS);
    if (deleted > 0) process.stdout.write(`test setup: deleted ${deleted} topics left by earlier test runs\n`);
  } catch (error) {
    process.stdout.write(`test setup: could not prune old test topics (${String(error)})\n`);
  }
}
