/**
 * Dead-letter topic. Its messages keep the original key, value and headers, plus
 * x-original-topic/partition/offset, x-consumer-group, x-dead-letter-reason/code and x-attempts.
 * The value is the original bytes, so it has no schema of its own.
 */
export const DEAD_LETTER_TOPIC = 'bus.dead-letter.v1';
