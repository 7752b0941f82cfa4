import { DomainException, ErrorCode } from '@parley/contracts';
import { type ChatPrincipal, isTenantAdmin } from '../principal/chat-principal';
import { PROVIDER_KINDS, type ProviderKind } from '../providers/llm-provider';
import type { ProviderCredentialRecord } from './provider-credentials.repository';

/** A tenant's provider as the API shows it: never the key, only its hint. */
export interface ProviderCredentialView {
  kind: ProviderKind;
  baseUrl: string | null;
  model: string;
  keyHint: string | null;
  priority: number;
  updatedAt: string;
}

export function providerCredentialView(record: ProviderCredentialRecord): ProviderCredentialView {
  return {
    kind: record.kind,
    baseUrl: record.baseUrl,
    model: record.model,
    keyHint: record.keyHint,
    priority: record.priority,
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** Provider keys are the tenant's shared settings: owners and admins only (never an API key). */
export function assertMayManageProviders(principal: ChatPrincipal): void {
  if (!isTenantAdmin(principal)) {
    throw new DomainException(ErrorCode.Forbidden, "Only owners and admins manage the tenant's providers");
  }
}

export function providerKind(value: string): ProviderKind {
  if (!(PROVIDER_KINDS as readonly string[]).includes(value)) {
    throw new DomainException(ErrorCode.ValidationFailed, `kind must be one of ${PROVIDER_KINDS.join(', ')}`);
  }
  return value as ProviderKind;
}

export function providerNotFound(kind: ProviderKind): DomainException {
  return new DomainException(ErrorCode.NotFound, `The tenant has no ${kind} provider`);
}
