import {
  DomainException,
  ErrorCode,
  STT_UPSTREAM_KINDS,
  type SttUpstreamKind,
  type SttUpstreamView,
} from '@parley/contracts';
import { isTenantAdmin, type SttPrincipal } from '../principal/stt-principal';
import type { SttUpstreamRecord } from './stt-upstreams.repository';

export function sttUpstreamView(record: SttUpstreamRecord): SttUpstreamView {
  return {
    kind: record.kind,
    baseUrl: record.baseUrl,
    model: record.model,
    keyHint: record.keyHint,
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** Speech upstreams are the tenant's shared settings: owners and admins only (never an API key). */
export function assertMayManageUpstreams(principal: SttPrincipal): void {
  if (!isTenantAdmin(principal)) {
    throw new DomainException(ErrorCode.Forbidden, "Only owners and admins manage the tenant's speech upstreams");
  }
}

export function upstreamKind(value: string): SttUpstreamKind {
  if (!(STT_UPSTREAM_KINDS as readonly string[]).includes(value)) {
    throw new DomainException(ErrorCode.ValidationFailed, `kind must be one of ${STT_UPSTREAM_KINDS.join(', ')}`);
  }
  return value as SttUpstreamKind;
}
