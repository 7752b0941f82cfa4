import type { MailMessage } from '../mail/mail-message';
import { oneLine } from '../mail/mail-text';

export const DOMAIN_MAIL_TOKEN_PREFIX = 'pdom_';

/** The proof by mail: a link that confirms the claim, sent to an admin mailbox at the domain. */
export function domainMail(input: {
  to: string;
  domain: string;
  tenant: string;
  requester: string;
  publicUrl: string;
  token: string;
  expiresAt: string;
}): MailMessage {
  const link = `${input.publicUrl}/verify-domain?token=${encodeURIComponent(input.token)}`;
  return {
    to: input.to,
    subject: `Confirm that ${input.domain} belongs to ${oneLine(input.tenant)} on Parley`,
    text: [
      `${oneLine(input.requester)} asked to verify ${input.domain} for the organisation ${oneLine(input.tenant)} on Parley.`,
      `Once verified, people signing in with an address at ${input.domain} are sent to that organisation's single sign-on.`,
      '',
      `If you administer ${input.domain} and agree, open: ${link}`,
      '',
      `The link works once and expires at ${input.expiresAt}. If you did not expect this mail, ignore it.`,
      '',
    ].join('\n'),
  };
}
