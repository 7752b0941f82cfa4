import { describe, expect, it } from 'vitest';
import { ConfigValidationError, loadConfig } from './load-config';

const env = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
};

const problemsOf = (service: 'tenant' | 'billing', extra: Record<string, string>): string => {
  try {
    loadConfig(service, { ...env, ...extra });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  return '';
};

describe('plans and feature flags in the configuration', () => {
  it('defaults the plan limits to the product brief: free 10 and pro 100 chat requests an hour', () => {
    const { plans } = loadConfig('tenant', env);
    expect(plans?.free).toEqual({
      chatRequestsPerHour: 10,
      tokensPerMonth: 100_000,
      sttMinutesPerMonth: 30,
      sttMaxAudioSeconds: 120,
      members: 3,
      apiKeys: 2,
    });
    expect(plans?.pro.chatRequestsPerHour).toBe(100);
    expect(plans?.enterprise.chatRequestsPerHour).toBe(1000);
  });

  it('reads every limit of every plan from PLAN_<PLAN>_<LIMIT>', () => {
    const { plans } = loadConfig('tenant', {
      ...env,
      PLAN_ENTERPRISE_CHAT_REQUESTS_PER_HOUR: '5000',
      PLAN_ENTERPRISE_TOKENS_PER_MONTH: '900000000000',
      PLAN_PRO_API_KEYS: '0',
      PLAN_PRO_STT_MAX_AUDIO_SECONDS: '900',
    });
    expect(plans?.enterprise).toMatchObject({ chatRequestsPerHour: 5000, tokensPerMonth: 900_000_000_000 });
    expect(plans?.pro.apiKeys).toBe(0);
    expect(plans?.pro.sttMaxAudioSeconds).toBe(900);
    expect(plans?.enterprise.sttMaxAudioSeconds).toBe(1800);
  });

  it('refuses a bad limit and names the variable', () => {
    expect(problemsOf('tenant', { PLAN_FREE_MEMBERS: '-1' })).toContain('PLAN_FREE_MEMBERS must be >= 0');
    expect(problemsOf('tenant', { PLAN_PRO_CHAT_REQUESTS_PER_HOUR: 'many' })).toContain(
      'PLAN_PRO_CHAT_REQUESTS_PER_HOUR must be a number',
    );
  });

  it('turns FEATURE_<NAME>=true|false into lower-case global flags', () => {
    const { features } = loadConfig('tenant', { ...env, FEATURE_VOICE_INPUT: 'true', FEATURE_EXPORT: '0' });
    expect(features).toEqual({ voice_input: true, export: false });
    expect(loadConfig('tenant', env).features).toEqual({});
  });

  it('refuses a malformed flag, naming the variable, together with the other problems', () => {
    const message = problemsOf('tenant', { FEATURE_BETA: 'yes', FEATURE_lower: 'true', PORT: 'x' });
    expect(message).toContain('FEATURE_BETA must be true or false');
    expect(message).toContain('FEATURE_lower must be named FEATURE_<NAME>');
    expect(message).toContain('PORT');
  });

  it('gives other services the global flags but not the plans (they read limits from control.plans)', () => {
    const config = loadConfig('billing', { ...env, FEATURE_BETA: 'true' });
    expect(config.plans).toBeNull();
    expect(config.features).toEqual({ beta: true });
    expect(loadConfig('gateway', { REDIS_URL: env.REDIS_URL, KAFKA_BROKERS: env.KAFKA_BROKERS }).features).toEqual({});
  });

  it('stops any service on a malformed flag, naming the variable', () => {
    expect(problemsOf('billing', { FEATURE_BETA: 'yes' })).toContain('FEATURE_BETA must be true or false');
  });

  it('bounds the tenant lifecycle settings', () => {
    expect(loadConfig('tenant', { ...env, TENANT_DELETION_GRACE_SECONDS: '1' }).tenant?.deletionGraceSeconds).toBe(1);
    expect(problemsOf('tenant', { TENANT_PURGE_BATCH_SIZE: '0' })).toContain('TENANT_PURGE_BATCH_SIZE must be >= 1');
    expect(problemsOf('tenant', { TENANT_SETTING_MAX_BYTES: '1' })).toContain('TENANT_SETTING_MAX_BYTES');
  });
});
