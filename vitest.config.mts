import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// One config, three projects: pure unit specs beside the code, integration specs against the real
// Postgres/Redis/Kafka started by scripts/infra.sh, and deployment checks (helm, manifests, compose).
const swcPlugin = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  });

const alias = {
  '@parley/contracts': new URL('./libs/contracts/src/index.ts', import.meta.url).pathname,
  '@parley/bus': new URL('./libs/bus/src/index.ts', import.meta.url).pathname,
  '@parley/tenancy': new URL('./libs/tenancy/src/index.ts', import.meta.url).pathname,
  '@parley/observability': new URL('./libs/observability/src/index.ts', import.meta.url).pathname,
  '@parley/config': new URL('./libs/config/src/index.ts', import.meta.url).pathname,
  '@parley/testing': new URL('./libs/testing/src/index.ts', import.meta.url).pathname,
  '@parley/local-llm': new URL('./libs/local-llm/src/index.ts', import.meta.url).pathname,
};

const env = {
  OTEL_LOGS_EXPORTER: 'none',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_TRACES_EXPORTER: 'none',
  LOG_LEVEL: 'warn',
};

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [swcPlugin()],
        resolve: { alias },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['libs/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts'],
          exclude: ['**/*.int-spec.ts', '**/node_modules/**', '**/dist/**', 'services/web/**'],
          env,
        },
      },
      {
        // The web app's own specs (renderer, token refresh): Vite's own TS/TSX transform, no decorators.
        resolve: { alias },
        test: {
          name: 'web',
          sequence: { groupOrder: 0 },
          include: ['services/web/src/**/*.spec.{ts,tsx}'],
          env,
        },
      },
      {
        plugins: [swcPlugin()],
        resolve: { alias },
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: [
            'libs/*/src/**/*.int-spec.ts',
            'services/*/src/**/*.int-spec.ts',
            'tests/e2e/**/*.int-spec.ts',
            'tests/infra/**/*.int-spec.ts',
          ],
          globalSetup: ['libs/testing/src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: true,
          maxWorkers: 2,
          env,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'deploy',
          sequence: { groupOrder: 2 },
          include: ['tests/deploy/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          env,
        },
      },
    ],
  },
});
