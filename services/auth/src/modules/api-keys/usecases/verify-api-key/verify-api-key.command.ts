import { invalidApiKey } from '../../api-key-errors';
import { apiKeyPrefix } from '../../api-key-secret';

/** A key of our format (else it is answered like an unknown key), with its public prefix. */
export class VerifyApiKeyCommand {
  private constructor(
    readonly key: string,
    readonly prefix: string,
  ) {}

  static create(input: { key: string }): VerifyApiKeyCommand {
    const prefix = apiKeyPrefix(input.key);
    if (!prefix) throw invalidApiKey();
    return new VerifyApiKeyCommand(input.key, prefix);
  }
}
