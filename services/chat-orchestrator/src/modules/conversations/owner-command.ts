import { z } from 'zod';
import { DomainException, ErrorCode } from '@parley/contracts';
import { assertTenantId, type TenantId } from '@parley/tenancy';
import type { ChatPrincipal } from '../principal/chat-principal';

/** Who owns conversations: a user (or the self-hosted anonymous owner) or an API key. */
export interface Owner {
  kind: ChatPrincipal['ownerKind'];
  id: string;
}

/**
 * Base of every chat command: the verified principal's tenant (a valid tenant id, required) and the
 * owner whose conversations it may reach. Nothing here comes from a body or a path.
 */
export abstract class OwnerCommand {
  readonly tenantId: TenantId;
  readonly owner: Owner;

  protected constructor(readonly principal: ChatPrincipal) {
    this.tenantId = assertTenantId(principal.tenantId);
    this.owner = { kind: principal.ownerKind, id: principal.ownerId };
  }
}

const uuid = z.uuid();

/** A conversation id from a path: anything but a UUID cannot exist, so it is 404 like another owner's id. */
export function conversationIdOf(raw: unknown): string {
  const parsed = uuid.safeParse(raw);
  if (!parsed.success) throw conversationNotFound();
  return parsed.data.toLowerCase();
}

export function conversationNotFound(): DomainException {
  return new DomainException(ErrorCode.NotFound, 'Conversation not found');
}

/** A title: trimmed, 1 to 200 characters. */
export function titleOf(raw: unknown): string {
  const title = typeof raw === 'string' ? raw.trim() : '';
  if (title.length < 1 || title.length > 200) {
    throw new DomainException(ErrorCode.ValidationFailed, 'Invalid body', {
      issues: ['title: must be 1 to 200 characters (not only spaces)'],
    });
  }
  return title;
}
