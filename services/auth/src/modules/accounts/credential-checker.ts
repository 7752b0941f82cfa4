import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { SignInLockout } from '../lockout/sign-in-lockout';
import { AccountsRepository, type UserRecord } from './accounts.repository';
import { PasswordHasher } from './password-hasher';

/**
 * Every password check (sign-in, accepting an invite as an existing user) goes through here, under
 * the lockout: a refused account or address is not checked at all; a failure is counted; success
 * clears the account's count. Unknown email and wrong password get the same answer and cost the
 * same argon2 work.
 */
@Injectable()
export class CredentialChecker {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly passwords: PasswordHasher,
    private readonly lockout: SignInLockout,
  ) {}

  async check(email: string, password: string, ip: string): Promise<UserRecord> {
    const attempt = { email, ip };
    await this.lockout.assertAllowed(attempt);
    const user = await this.accounts.findUserByEmail(email);
    const valid = user
      ? await this.passwords.verify(user.passwordHash, password)
      : await this.passwords.verifyDummy(password);
    if (!user || !valid) {
      await this.lockout.recordFailure(attempt);
      throw invalidCredentials();
    }
    await this.lockout.clearAccount(email);
    return user;
  }
}

export function invalidCredentials(): DomainException {
  return new DomainException(ErrorCode.InvalidCredentials, 'Email or password is incorrect');
}
