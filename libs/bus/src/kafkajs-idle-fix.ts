import { createRequire } from 'node:module';

/** The part of kafkajs's (internal) SocketRequest the timeout check reads. */
interface SocketRequestInternals {
  correlationId: number;
  sentAt: number;
  requestTimeout: number;
  timeoutRequest(): void;
}

/** The part of kafkajs's (internal) RequestQueue this fix touches. */
interface RequestQueueInternals {
  pending: unknown[];
  inflight: Map<number, SocketRequestInternals>;
  enforceRequestTimeout: boolean;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutIntervalId: NodeJS.Timeout | null | undefined;
  [TIMEOUT_CHECK_AT]?: number;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  sendSocketRequest: (this: RequestQueueInternals, request: SocketRequestInternals) => void;
  destroy: (this: RequestQueueInternals) => void;
}

/** kafkajs's own interval for re-checking a queue that has pending requests (requestQueue/index.js). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
const PATCHED = Symbol.for('parley.kafkajs.idle-fix');
const TIMEOUT_CHECK_AT = Symbol('parley.kafkajs.timeout-check-at');

/**
 * Arms one timer for the earliest deadline among the queue's requests in flight (none: no timer).
 * When it fires it times out what is past its deadline, as kafkajs's interval did, and arms the next.
 */
function armTimeoutCheck(queue: RequestQueueInternals, deadline?: number): void {
  let next = deadline;
  if (next === undefined) {
    next = Infinity;
    for (const request of queue.inflight.values()) next = Math.min(next, request.sentAt + request.requestTimeout);
    if (next === Infinity) return;
  } else if (queue.requestTimeoutIntervalId && (queue[TIMEOUT_CHECK_AT] ?? Infinity) <= next) {
    return; // a check comes sooner; it arms the next one
  }
  clearTimeout(queue.requestTimeoutIntervalId ?? undefined);
  queue[TIMEOUT_CHECK_AT] = next;
  queue.requestTimeoutIntervalId = setTimeout(
    () => {
      queue.requestTimeoutIntervalId = null;
      const now = Date.now();
      for (const request of [...queue.inflight.values()]) {
        if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
      }
      armTimeoutCheck(queue);
    },
    Math.max(0, next - Date.now()) + 1,
  );
}

/**
 * kafkajs 2.2.4 (the last release; the project is unmaintained) re-arms a timer from every
 * connection's request queue even when nothing is pending and nothing is throttled, with a negative
 * delay, so each connection spins a 1 ms timer loop forever (tulios/kafkajs#1556, fix proposed in
 * #1667, never released): a few percent of a core per idle service. This applies that fix to the
 * RequestQueue prototype: with nothing pending and no throttle there is nothing to check later (a
 * new request is sent at once or, when it has to wait, pushes itself and schedules the check; a
 * response re-checks the queue). With requests pending, or while throttled, kafkajs's behaviour is
 * unchanged.
 *
 * Second, every connection also runs a 100 ms interval for its whole life to time out requests in
 * flight (`scheduleRequestTimeoutCheck`), ten wake-ups a second per connection with nothing to do:
 * instead, one timer is armed for the earliest deadline of the requests in flight (sent at +
 * their timeout) and none when nothing is in flight; a request past its deadline is timed out as
 * before (to the millisecond rather than to the next 100 ms tick). An idle consumer's long-poll
 * fetch, always in flight, then costs one timer per request timeout (30 s) instead of 300.
 * Idempotent.
 */
export function applyKafkaJsIdleFix(): void {
  const requireFromHere = createRequire(__filename);
  const RequestQueue = requireFromHere('kafkajs/src/network/requestQueue/index.js') as {
    prototype: RequestQueueInternals & { [PATCHED]?: true };
  };
  const proto = RequestQueue.prototype;
  if (proto[PATCHED]) return;
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
    if (this.throttleCheckTimeoutId) return; // a check is already scheduled
    let scheduleAt = this.throttledUntil - Date.now();
    if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    else if (scheduleAt <= 0) return; // nothing waits and nothing is throttled: nothing to check
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, scheduleAt);
  };
  proto.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(this: RequestQueueInternals): void {
    this.destroy(); // on (re)connect: no interval; each request sent arms the check it needs
  };
  const destroy = proto.destroy;
  proto.destroy = function destroyQueueTimers(this: RequestQueueInternals): void {
    destroy.call(this);
    this.requestTimeoutIntervalId = null; // cleared: the next request sent arms a new check
  };
  const send = proto.sendSocketRequest;
  proto.sendSocketRequest = function sendSocketRequest(
    this: RequestQueueInternals,
    request: SocketRequestInternals,
  ): void {
    send.call(this, request);
    if (this.enforceRequestTimeout && this.inflight.has(request.correlationId)) {
      armTimeoutCheck(this, request.sentAt + request.requestTimeout);
    }
  };
  proto[PATCHED] = true;
}
