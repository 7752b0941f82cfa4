import { z } from 'zod';
import { parseInput } from '../../../common/parse-input';
import { pathIdSchema } from '../../../common/path-id';
import type { VerifiedAccess } from '../../access-tokens/access-token.claims';
import { TenantCommand } from '../../authorization/tenant-command';
import { ADMIN_MAILBOXES, type AdminMailbox } from '../domain-name';

/** The tenant's claimed domains. */
export class ListDomainsCommand extends TenantCommand {
  static create(access: VerifiedAccess): ListDomainsCommand {
    return new ListDomainsCommand(access);
  }
}

const claimSchema = z.object({ domain: z.string().max(300) });

/** Claim a domain (its name is normalised by the use case). */
export class ClaimDomainCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly domain: string,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, body: unknown): ClaimDomainCommand {
    return new ClaimDomainCommand(access, parseInput(claimSchema, body, 'domain claim').domain);
  }
}

/** One claimed domain of the tenant, by id (verify by DNS, remove). */
export class DomainCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly domainId: string,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, id: string): DomainCommand {
    return new DomainCommand(access, parseInput(z.object({ id: pathIdSchema }), { id }, 'domain id').id);
  }
}

const mailSchema = z.object({ mailbox: z.enum(ADMIN_MAILBOXES) });

/** Send the proof by mail to one of the admin mailboxes at the domain. */
export class SendDomainMailCommand extends TenantCommand {
  private constructor(
    access: VerifiedAccess,
    readonly domainId: string,
    readonly mailbox: AdminMailbox,
  ) {
    super(access);
  }

  static create(access: VerifiedAccess, id: string, body: unknown): SendDomainMailCommand {
    const { id: domainId } = parseInput(z.object({ id: pathIdSchema }), { id }, 'domain id');
    return new SendDomainMailCommand(access, domainId, parseInput(mailSchema, body, 'verification mail').mailbox);
  }
}
