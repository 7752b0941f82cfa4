import { z } from 'zod';
import { parseInput } from '../../../../common/parse-input';
import { normaliseEmail } from '../../../accounts/email';

const schema = z.object({ email: z.string().max(254).transform(normaliseEmail) });

export class RequestPasswordResetCommand {
  private constructor(readonly email: string) {}

  static create(body: unknown): RequestPasswordResetCommand {
    return new RequestPasswordResetCommand(parseInput(schema, body, 'password reset request').email);
  }
}
