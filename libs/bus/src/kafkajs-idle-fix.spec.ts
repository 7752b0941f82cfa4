import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyKafkaJsIdleFix } from './kafkajs-idle-fix';

type Queue = {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
};
const RequestQueue = createRequire(__filename)('kafkajs/src/network/requestQueue/index.js') as new (
  options: Record<string, unknown>,
) => Queue;

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const newQueue = (): Queue =>
  new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
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
});
