import { describe, expect, it } from 'vitest';
import { effectiveFlags } from './feature-flags';

describe('effective feature flags', () => {
  const globals = { voice_input: false, export: true };

  it('are the global defaults without overrides', () => {
    expect(effectiveFlags(globals, {})).toEqual({ flags: { export: true, voice_input: false }, overrides: {} });
  });

  it('let a tenant override win either way', () => {
    expect(effectiveFlags(globals, { voice_input: true, export: false })).toEqual({
      flags: { export: false, voice_input: true },
      overrides: { export: false, voice_input: true },
    });
  });

  it('ignore overrides of flags that are no longer declared', () => {
    expect(effectiveFlags(globals, { retired: true })).toEqual({
      flags: { export: true, voice_input: false },
      overrides: {},
    });
  });
});
