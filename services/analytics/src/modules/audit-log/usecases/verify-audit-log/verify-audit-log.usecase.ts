import { Injectable } from '@nestjs/common';
import { TenantContext } from '@parley/tenancy';
import { ChainVerifier, type BrokenLink } from '../../audit-chain';
import { AuditLogRepository } from '../../audit-log.repository';

export interface AuditVerification {
  tenantId: string;
  ok: boolean;
  /** Entries checked before the first broken link (all of them when ok). */
  checked: number;
  firstBroken: BrokenLink | null;
}

const BATCH = 1000;

/** Walks the context tenant's chain from its start (genesis or retention anchor), in batches, to the first broken link. */
@Injectable()
export class VerifyAuditLogUseCase {
  constructor(private readonly log: AuditLogRepository) {}

  async execute(): Promise<AuditVerification> {
    const start = await this.log.start();
    const verifier = new ChainVerifier(start);
    let after = start.firstSeq - 1;
    for (;;) {
      const batch = await this.log.chainAfter(after, BATCH);
      if (!verifier.feed(batch) || batch.length < BATCH) break;
      after = batch[batch.length - 1]!.seq;
    }
    return {
      tenantId: TenantContext.require(),
      ok: verifier.broken === null,
      checked: verifier.checked,
      firstBroken: verifier.broken,
    };
  }
}
