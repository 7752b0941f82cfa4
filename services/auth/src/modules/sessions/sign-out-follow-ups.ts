import { Injectable } from '@nestjs/common';

/** The session just revoked by sign-out. */
export interface EndedSession {
  tenantId: string;
  userId: string;
  sessionId: string;
}

/** A step after sign-out: the URL the browser goes to next (an IdP's single logout), or null. */
export type SignOutFollowUp = (session: EndedSession) => Promise<string | null>;

/**
 * What sign-out does after revoking a session, registered by the modules that opened it (SAML
 * single logout registers one) so sessions need not know of them. The first URL given wins.
 */
@Injectable()
export class SignOutFollowUps {
  private readonly steps: SignOutFollowUp[] = [];

  register(step: SignOutFollowUp): void {
    this.steps.push(step);
  }

  async next(session: EndedSession): Promise<string | null> {
    for (const step of this.steps) {
      const url = await step(session);
      if (url !== null) return url;
    }
    return null;
  }
}
