import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceEnvShape } from './env-schema';
import { SERVICE_NAMES } from './service-name';

describe('docs/configuration.md', () => {
  const doc = readFileSync(resolve(__dirname, '../../../docs/configuration.md'), 'utf8');

  it.each(SERVICE_NAMES)('documents every variable %s reads', (service) => {
    const missing = Object.keys(serviceEnvShape(service)).filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
