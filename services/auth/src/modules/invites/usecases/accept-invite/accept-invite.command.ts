import { z } from 'zod';
import { isOpaqueToken } from '../../../../common/opaque-token';
import { parseInput } from '../../../../common/parse-input';
import { normaliseClientIp } from '../../../lockout/client-ip';
import { inviteInvalid } from '../../invite-errors';
import { INVITE_TOKEN_PREFIX } from '../../invite-mail';

const schema = z.object({
  token: z.string(),
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(1).max(256),
});

/** An invite token of our format (anything else is `invite_invalid`), and the joiner's credentials. */
export class AcceptInviteCommand {
  private constructor(
    readonly token: string,
    readonly name: string | undefined,
    readonly password: string,
    readonly clientIp: string,
  ) {}

  static create(body: unknown, clientIp: string | undefined): AcceptInviteCommand {
    const input = parseInput(schema, body, 'invite acceptance');
    if (!isOpaqueToken(INVITE_TOKEN_PREFIX, input.token)) throw inviteInvalid();
    return new AcceptInviteCommand(input.token, input.name, input.password, normaliseClientIp(clientIp));
  }
}
