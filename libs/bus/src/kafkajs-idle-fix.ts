import { createRequire } from 'node:module';

/** The part of kafkajs's (internal) RequestQueue this fix touches. */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own interval for re-checking a queue that has pending requests (requestQueue/index.js). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
const PATCHED = Symbol.for('parley.kafkajs.idle-fix');

/**
 * kafkajs 2.2.4 (the last release; the project is unmaintained) re-arms a timer from every
 * connection's request queue even when nothing is pending and nothing is throttled, with a negative
 * delay, so each connection spins a 1 ms timer loop forever (tulios/kafkajs#1556, fix proposed in
 * #1667, never released): a few percent of a core per idle service. This applies that fix to the
 * RequestQueue prototype: with nothing pending and no throttle there is nothing to check later (a
 * new request is sent at once or, when it has to wait, pushes itself and schedules the check; a
 * response re-checks the queue). With requests pending, or while throttled, kafkajs's behaviour is
 * unchanged. Idempotent.
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
  proto[PATCHED] = true;
}
