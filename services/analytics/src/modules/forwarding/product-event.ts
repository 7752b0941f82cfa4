import {
  ROLES,
  type AuditAction,
  type AuditActionRecordedV1,
  type AuthSignedInV1,
  type AuthSignedUpV1,
  type ChatMessageCompletedV1,
  type MessageOf,
  type UsageRecordedV1,
} from '@parley/contracts';
import { stableUuid } from '../event-store/stable-uuid';

/** A scalar property: no object, so no free text can ride along in a nested field. */
export type Scalar = string | number | boolean | null;

/**
 * What leaves Parley for a product-analytics provider: names, counts, models and ids only — built
 * field by field from an allow-list, never from a payload as a whole, so no prompt or answer text
 * is ever sent. The tenant is the `organization` group of every event.
 */
export interface ProductEvent {
  /** Stable per source event (usage id, message id): the providers' dedupe key. */
  insertId: string;
  tenantId: string;
  /** The user id, `api-key:<id>` for API traffic, or `tenant:<id>` for the organisation itself. */
  distinctId: string;
  name: string;
  timestamp: string;
  properties: Record<string, Scalar>;
}

function distinctIdOf(e: { tenantId: string; userId: string | null; apiKeyId: string | null }): string {
  return e.userId ?? (e.apiKeyId ? `api-key:${e.apiKeyId}` : `tenant:${e.tenantId}`);
}

export function usageProductEvent(e: MessageOf<typeof UsageRecordedV1>): ProductEvent {
  return {
    insertId: e.usageId,
    tenantId: e.tenantId,
    distinctId: distinctIdOf(e),
    name: 'usage recorded',
    timestamp: e.recordedAt,
    properties: {
      kind: e.kind,
      provider: e.provider,
      model: e.model,
      promptTokens: e.promptTokens,
      completionTokens: e.completionTokens,
      audioSeconds: e.kind === 'stt_seconds' ? e.quantity : 0,
      costMicros: e.costMicros,
      channel: e.apiKeyId ? 'api' : 'web',
    },
  };
}

export function messageProductEvent(e: MessageOf<typeof ChatMessageCompletedV1>): ProductEvent {
  return {
    insertId: e.messageId,
    tenantId: e.tenantId,
    distinctId: distinctIdOf(e),
    name: 'message completed',
    timestamp: e.completedAt,
    properties: {
      status: e.status,
      provider: e.provider,
      model: e.model,
      skill: e.skill,
      promptTokens: e.promptTokens,
      completionTokens: e.completionTokens,
      firstTokenMs: e.firstTokenMs,
      durationMs: e.durationMs,
      channel: e.apiKeyId ? 'api' : 'web',
    },
  };
}

export function signedUpProductEvent(e: MessageOf<typeof AuthSignedUpV1>): ProductEvent {
  return {
    insertId: stableUuid(`${e.tenantId}:${e.userId}:signed-up`),
    tenantId: e.tenantId,
    distinctId: e.userId,
    name: 'signed up',
    timestamp: e.signedUpAt,
    properties: { role: 'owner' },
  };
}

export function signedInProductEvent(e: MessageOf<typeof AuthSignedInV1>): ProductEvent {
  return {
    insertId: e.sessionId,
    tenantId: e.tenantId,
    distinctId: e.userId,
    name: 'signed in',
    timestamp: e.signedInAt,
    properties: {},
  };
}

const MEMBERSHIP_EVENTS: Partial<Record<AuditAction, string>> = {
  'member.added': 'member added',
  'member.role-changed': 'member role changed',
  'member.removed': 'member removed',
};

function roleOf(value: Scalar | undefined): string | null {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value) ? value : null;
}

/**
 * A membership change from the audit trail (auth records added, role changed and removed there, with
 * who acted), as product analytics sees it: the member as the person, the roles and how they joined;
 * null for every other audit action.
 */
export function membershipProductEvent(e: MessageOf<typeof AuditActionRecordedV1>): ProductEvent | null {
  const name = MEMBERSHIP_EVENTS[e.action];
  if (!name || !e.target.id) return null;
  const d = e.details;
  const role = e.action === 'member.role-changed' ? roleOf(d.to) : e.action === 'member.added' ? roleOf(d.role) : null;
  const previousRole =
    e.action === 'member.role-changed' ? roleOf(d.from) : e.action === 'member.removed' ? roleOf(d.role) : null;
  return {
    insertId: e.auditId,
    tenantId: e.tenantId,
    distinctId: e.target.id,
    name,
    timestamp: e.occurredAt,
    properties: {
      role,
      previousRole,
      via: e.action === 'member.added' && typeof d.via === 'string' ? d.via.slice(0, 32) : null,
      actorKind: e.actor.kind,
    },
  };
}
