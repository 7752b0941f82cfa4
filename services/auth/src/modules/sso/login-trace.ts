import { randomUUID } from 'node:crypto';
import {
  DomainException,
  ErrorCode,
  SSO_TEST_RESULT_PATH,
  type SsoLoginTrace,
  type SsoRejectionReason,
  type SsoTraceStep,
} from '@parley/contracts';

/** A login refused for a reason the trace and the answer name. */
export class SsoRejection extends Error {
  constructor(
    readonly reason: SsoRejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'SsoRejection';
  }
}

/** Longest detail kept per step: enough to read, never a whole document. */
const DETAIL_CHARS = 300;

/**
 * The record of one login attempt: each check in order, passed or failed and why, the attributes
 * the IdP sent. It never holds the SAML response, signatures or tokens (secrets are not traced).
 */
export class LoginTrace {
  readonly id = randomUUID();
  private readonly steps: SsoTraceStep[] = [];
  attributes: Record<string, string[]> = {};
  nameId: string | null = null;
  userId: string | null = null;

  pass(check: string, detail?: string): void {
    this.steps.push(detail === undefined ? { check, ok: true } : { check, ok: true, detail: clip(detail) });
  }

  /** Records a failed check without throwing (a refusal answered with its own error code). */
  note(check: string, detail: string): void {
    this.steps.push({ check, ok: false, detail: clip(detail) });
  }

  /** Records the failed check and throws the rejection. */
  fail(check: string, reason: SsoRejectionReason, detail: string): never {
    this.steps.push({ check, ok: false, detail: clip(detail) });
    throw new SsoRejection(reason, detail);
  }

  record(connectionId: string, rejection: SsoRejection | null): SsoLoginTrace {
    return {
      id: this.id,
      connectionId,
      outcome: rejection ? 'rejected' : 'success',
      reason: rejection?.reason ?? null,
      steps: [...this.steps],
      attributes: this.attributes,
      nameId: this.nameId,
      userId: this.userId,
      createdAt: new Date().toISOString(),
    };
  }

  /**
   * The HTTP answer of a rejection: 401 `sso_login_rejected` with the reason, this trace's id and
   * where a browser should land to read why (the gateway redirects browsers there): the test result
   * for a test login, else the sign-in page with the reason.
   */
  exception(rejection: SsoRejection, test = false): DomainException {
    return new DomainException(ErrorCode.SsoLoginRejected, `SSO login refused: ${rejection.message}`, {
      reason: rejection.reason,
      traceId: this.id,
      redirectTo: test
        ? `${SSO_TEST_RESULT_PATH}?test=${this.id}`
        : `/sign-in?sso_error=${encodeURIComponent(rejection.reason)}`,
    });
  }
}

function clip(text: string): string {
  return text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS)}…` : text;
}
