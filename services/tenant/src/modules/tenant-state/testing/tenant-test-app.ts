import type { INestApplication } from '@nestjs/common';
import { expect } from 'vitest';
import { TopicAdmin, TopicNamer } from '@parley/bus';
import { createLogger } from '@parley/observability';
import { infra, serviceCredentialHeaders, testConfig, TopicReader } from '@parley/testing';
import { createTenantApp } from '../../../create-app';

/** An HTTP answer: status and parsed JSON body (asserted field by field by the specs). */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
  body: any;
}

export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;

/** The tenant app in-process on the real Postgres, Redis and Kafka, as the int-specs start it. */
export async function startTenantApp(
  databaseUrl: string,
  topicPrefix: string,
  extra: Record<string, string> = {},
): Promise<{ app: INestApplication; call: Call }> {
  const config = testConfig('tenant', {
    databaseUrl,
    topicPrefix,
    extra: { DEPLOYMENT_MODE: 'cloud', HTTP_BODY_LIMIT_BYTES: '65536', ...extra },
  });
  const app = await createTenantApp(config, createLogger('tenant', 'silent'));
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const call: Call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      // Internal routes answer other services only: the tests call them as one.
      headers: { 'content-type': 'application/json', ...(await serviceCredentialHeaders()), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return { app, call };
}

/** Creates a tenant through the API and returns its id. */
export async function createTenant(call: Call, slug: string, plan = 'free'): Promise<string> {
  const created = await call('POST', '/internal/tenants', { name: slug.toUpperCase(), slug, plan });
  expect(created.status).toBe(201);
  return (created.body as { tenantId: string }).tenantId;
}

/** Asserts a problem answer: its status and code, never a 500. */
export function expectProblem(answer: Answer, status: number, code: string): void {
  const body = answer.body as { error?: { code?: string } } | undefined;
  expect({ status: answer.status, code: body?.error?.code }).toEqual({ status, code });
}

/**
 * Reads a topic the app publishes from the beginning. The outbox relay creates a topic on its
 * first publication; the reader needs it now, so it is created here the same way.
 */
export async function readTopic(app: INestApplication, topic: { name: string }): Promise<TopicReader> {
  const physical = app.get(TopicNamer).physical(topic.name);
  await app.get(TopicAdmin).ensureTopics([physical]);
  return new TopicReader(infra().KAFKA_BROKERS.split(','), physical).start();
}
