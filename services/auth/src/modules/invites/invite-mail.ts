import type { Role } from '../access-tokens/access-token.claims';
import type { MailMessage } from '../mail/mail-message';
import { oneLine } from '../mail/mail-text';

export const INVITE_TOKEN_PREFIX = 'pinv_';

export interface InviteMailInput {
  to: string;
  tenant: string;
  inviter: string;
  role: Role;
  publicUrl: string;
  token: string;
  expiresAt: string;
}

/** The invitation: who invites, to which tenant, as what, and the single-use link. */
export function inviteMail(input: InviteMailInput): MailMessage {
  const tenant = oneLine(input.tenant);
  const link = `${input.publicUrl}/invite?token=${encodeURIComponent(input.token)}`;
  return {
    to: input.to,
    subject: `You are invited to join ${tenant} on Parley`,
    text: [
      `${oneLine(input.inviter)} invited you to join ${tenant} on Parley as ${input.role}.`,
      '',
      `Accept the invitation: ${link}`,
      '',
      `The link works once and expires at ${input.expiresAt}.`,
      'If you did not expect this invitation, you can ignore this mail.',
      '',
    ].join('\n'),
  };
}
