import type { ProductEvent } from '../product-event';

/** A provider's client: sends one batch, resolves once it was accepted, rejects otherwise. */
export interface AnalyticsSink {
  readonly name: string;
  send(batch: readonly ProductEvent[]): Promise<void>;
  close(): Promise<void>;
}

export const ANALYTICS_SINK = Symbol('ANALYTICS_SINK');

/** The organisation group every event carries (PostHog group type, Mixpanel group key). */
export const ORGANIZATION_GROUP = 'organization';
