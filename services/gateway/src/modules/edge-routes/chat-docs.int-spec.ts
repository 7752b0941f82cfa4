import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startGateway, type RunningGateway } from '../../testing/start-gateway';

describe('the chat API documents (OpenAPI and AsyncAPI)', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({ DEPLOYMENT_MODE: 'cloud' });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('documents every chat route in OpenAPI, and the stream events', async () => {
    const doc = await json(fetch(`${gateway.url}/api/docs-json`));
    const expected: Record<string, string[]> = {
      '/api/v1/conversations': ['post', 'get'],
      '/api/v1/conversations/{id}': ['get', 'patch', 'delete'],
      '/api/v1/conversations/{id}/messages': ['get', 'post'],
      '/api/v1/conversations/{id}/stop': ['post'],
      '/api/v1/skills': ['get', 'post'],
      '/api/v1/skills/{id}': ['get', 'patch', 'delete'],
      '/api/v1/chat/providers': ['get'],
      '/api/v1/chat/providers/{kind}': ['put', 'delete'],
      '/api/v1/chat/stats': ['get'],
      '/api/v1/chat/quota': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of methods) {
        const operation = doc.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(JSON.stringify(operation.responses)).toContain('#/components/schemas/ProblemDto');
      }
    }
    const send = doc.paths['/api/v1/conversations/{id}/messages'].post;
    expect(Object.keys(send.responses['200'].content)).toContain('text/event-stream');
    expect(send.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/SendMessageResultDto',
    );
    expect(doc.components.schemas.ChatStreamEvent).toBeDefined();
    expect(doc.info.description).toContain('/api/docs/asyncapi.json');
  });

  it('serves the AsyncAPI document of /ws publicly, naming the host it was asked on', async () => {
    const res = await fetch(`${gateway.url}/api/docs/asyncapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const doc = await json(res);
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.servers.gateway).toMatchObject({ host: new URL(gateway.url).host, protocol: 'ws' });
    expect(Object.keys(doc.channels.ws.messages)).toEqual(
      expect.arrayContaining([
        'messageSend',
        'messageStop',
        'messageStarted',
        'token',
        'messageCompleted',
        'streamError',
      ]),
    );
  });
});
