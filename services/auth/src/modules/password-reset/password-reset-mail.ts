import type { MailMessage } from '../mail/mail-message';

export const RESET_TOKEN_PREFIX = 'prst_';

/** The reset link, single use, with its expiry. */
export function passwordResetMail(input: {
  to: string;
  publicUrl: string;
  token: string;
  expiresAt: string;
}): MailMessage {
  const link = `${input.publicUrl}/reset-password?token=${encodeURIComponent(input.token)}`;
  return {
    to: input.to,
    subject: 'Reset your Parley password',
    text: [
      'Someone (hopefully you) asked to reset the password of your Parley account.',
      '',
      `Choose a new password: ${link}`,
      '',
      `The link works once and expires at ${input.expiresAt}. Setting a new password signs you out everywhere.`,
      'If you did not ask for this, ignore this mail: your password stays as it is.',
      '',
    ].join('\n'),
  };
}
