import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyKafkaJsIdleFix } from './kafkajs-idle-fix';

type Queue = {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  push(request: Record<string, unknown>): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer | null; size: number }): void;
  destroy(): void;
};
const RequestQueue = createRequire(__filename)('kafkajs/src/network/requestQueue/index.js') as new (
  options: Record<string, unknown>,
) => Queue;

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const newQueue = (): Queue =>
  new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: 1,
    requestTimeout: 1000,
    enforceRequestTimeout: true,
    clientId: 'spec',
    broker: '127.0.0.1:9',
    logger,
    isConnected: () => true,
  });

describe('the kafkajs idle fix', () => {
  afterEach(() => vi.useRealTimers());

  it('an idle request queue (nothing pending, no throttle) leaves no timer spinning', () => {
    applyKafkaJsIdleFix();
    vi.useFakeTimers();
    const queue = newQueue();
    const checks = vi.spyOn(queue, 'checkPendingRequests');
    queue.checkPendingRequests(); // what a fulfilled response does
    vi.advanceTimersByTime(1000);
    // Unpatched kafkajs 2.2.4 re-arms a ~1 ms timer here and checks ~1000 times in this second.
    expect(checks).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a queue with a pending request is still re-checked until it drains', () => {
    applyKafkaJsIdleFix();
    vi.useFakeTimers();
    const queue = newQueue();
    queue.pending.push({});
    const checks = vi.spyOn(queue, 'checkPendingRequests').mockImplementationOnce(() => undefined);
    (queue as unknown as { scheduleCheckPendingRequests(): void }).scheduleCheckPendingRequests();
    vi.advanceTimersByTime(10);
    expect(checks).toHaveBeenCalled();
  });

  it('a throttled queue is checked again when the throttle ends', () => {
    applyKafkaJsIdleFix();
    vi.useFakeTimers();
    const queue = newQueue();
    queue.throttledUntil = Date.now() + 500;
    const checks = vi.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
    (queue as unknown as { scheduleCheckPendingRequests(): void }).scheduleCheckPendingRequests();
    vi.advanceTimersByTime(499);
    expect(checks).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(checks).toHaveBeenCalledTimes(1);
  });

  /** A request as kafkajs's connection pushes it; `rejections` collects what the queue rejects it with. */
  const request = (correlationId: number, rejections: unknown[], resolutions: unknown[] = []) => ({
    entry: {
      correlationId,
      apiName: 'Fetch',
      apiKey: 1,
      apiVersion: 11,
      resolve: (value: unknown) => resolutions.push(value),
      reject: (error: unknown) => rejections.push(error),
    },
    expectResponse: true,
    sendRequest: () => undefined,
  });

  it('a connected queue with nothing in flight runs no request-timeout timer', () => {
    applyKafkaJsIdleFix();
    vi.useFakeTimers();
    const queue = newQueue();
    queue.scheduleRequestTimeoutCheck(); // what a connection does once connected
    // Unpatched kafkajs 2.2.4 runs a 100 ms interval here for the connection's whole life.
    expect(vi.getTimerCount()).toBe(0);
    queue.destroy();
  });

  it('a request in flight past its timeout is still timed out, by one timer that stops with it', () => {
    applyKafkaJsIdleFix();
    vi.useFakeTimers();
    const queue = newQueue();
    queue.scheduleRequestTimeoutCheck();
    const rejections: unknown[] = [];
    queue.push(request(1, rejections));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(rejections).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(rejections).toHaveLength(1);
    expect(String(rejections[0])).toMatch(/Request Fetch\(key: 1, version: 11\) timed out/);
    expect(queue.inflight.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an answered request is not timed out, and the next one in flight is checked at its own deadline', () => {
    applyKafkaJsIdleFix();
    vi.useFakeTimers();
    const queue = new RequestQueue({
      instrumentationEmitter: null,
      maxInFlightRequests: null,
      requestTimeout: 1000,
      enforceRequestTimeout: true,
      clientId: 'spec',
      broker: '127.0.0.1:9',
      logger,
      isConnected: () => true,
    });
    queue.scheduleRequestTimeoutCheck();
    const rejections: unknown[] = [];
    const resolutions: unknown[] = [];
    queue.push(request(1, rejections, resolutions));
    vi.advanceTimersByTime(600);
    queue.push(request(2, rejections, resolutions));
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(resolutions).toHaveLength(1);
    vi.advanceTimersByTime(1000); // past the first one's deadline: it was answered
    expect(rejections).toEqual([]);
    vi.advanceTimersByTime(1); // the second one's deadline
    expect(rejections).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('after a disconnect (destroy) the next request sent arms its check again', () => {
    applyKafkaJsIdleFix();
    vi.useFakeTimers();
    const queue = newQueue();
    queue.scheduleRequestTimeoutCheck();
    const rejections: unknown[] = [];
    queue.push(request(1, rejections));
    queue.destroy();
    queue.inflight.clear(); // what rejectAll does on a lost connection
    queue.scheduleRequestTimeoutCheck(); // reconnected
    queue.push(request(2, rejections));
    vi.advanceTimersByTime(1001);
    expect(rejections).toHaveLength(1);
  });
});
