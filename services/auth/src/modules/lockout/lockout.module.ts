import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RetryAfterInterceptor } from './retry-after.interceptor';
import { SignInLockout } from './sign-in-lockout';

/** Failed sign-ins per account and per address (Redis), and the Retry-After header of a refusal. */
@Module({
  providers: [SignInLockout, { provide: APP_INTERCEPTOR, useClass: RetryAfterInterceptor }],
  exports: [SignInLockout],
})
export class LockoutModule {}
