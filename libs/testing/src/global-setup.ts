import type { TestProject } from 'vitest/node';
import { ensureInfra, type InfraEnv } from './infra-env';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraEnv;
  }
}

/** Vitest global setup of the integration project: real infrastructure up before any test. */
export default function setup(project: TestProject): void {
  const infra = ensureInfra();
  process.env.PARLEY_TEST_INFRA = JSON.stringify(infra);
  project.provide('infra', infra);
}
