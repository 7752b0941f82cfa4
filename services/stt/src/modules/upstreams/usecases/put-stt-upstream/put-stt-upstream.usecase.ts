import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_STT_STREAM_UPSTREAM_BASE_URL,
  DEFAULT_STT_UPSTREAM_BASE_URL,
  EgressPolicy,
  keyHint,
} from '@parley/config';
import { DomainException, ErrorCode, type SttUpstreamView } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { assertMayManageUpstreams, sttUpstreamView } from '../../stt-upstream';
import { SttUpstreamsRepository } from '../../stt-upstreams.repository';
import { UpstreamKeyEncryption } from '../../upstream-key-encryption';
import type { PutSttUpstreamCommand } from './put-stt-upstream.command';

/**
 * Sets the tenant's speech upstream of one kind (owners and admins). The base URL passes the egress
 * policy first (400 `egress_denied`; checked again at each connection). The key is sealed with
 * AES-256-GCM bound to the row id; without `apiKey` the stored key is kept — but never sent to a
 * new address: changing the base URL of an upstream that has a key needs the key again.
 */
@Injectable()
export class PutSttUpstreamUseCase {
  constructor(
    private readonly upstreams: SttUpstreamsRepository,
    private readonly encryption: UpstreamKeyEncryption,
    private readonly egress: EgressPolicy,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: PutSttUpstreamCommand): Promise<SttUpstreamView> {
    assertMayManageUpstreams(command.principal);
    const baseUrl =
      command.baseUrl ??
      (command.kind === 'deepgram' ? DEFAULT_STT_STREAM_UPSTREAM_BASE_URL : DEFAULT_STT_UPSTREAM_BASE_URL);
    await this.egress.checkUrl(baseUrl);
    const { tenantId } = command.principal;
    const updatedBy = command.principal.userId ?? command.principal.kind;
    const saved = await this.upstreams.transaction(tenantId, async (tx) => {
      await this.upstreams.lockKind(tx, command.kind);
      const current = await this.upstreams.findByKind(tx, command.kind);
      const id = current?.id ?? randomUUID();
      let sealed: { encryptedKey: Buffer | null; keyHint: string | null };
      if (command.apiKey !== null) {
        sealed = { encryptedKey: this.encryption.encrypt(command.apiKey, id), keyHint: keyHint(command.apiKey) };
      } else if (current?.encryptedKey && current.baseUrl !== baseUrl) {
        throw new DomainException(
          ErrorCode.ValidationFailed,
          'apiKey is required when baseUrl changes: the stored key is never sent to a new address',
        );
      } else if (current) {
        sealed = { encryptedKey: current.encryptedKey, keyHint: current.keyHint };
      } else if (command.baseUrl && command.kind === 'openai') {
        sealed = { encryptedKey: null, keyHint: null }; // a server that needs no key (a self-hosted Whisper)
      } else {
        throw new DomainException(
          ErrorCode.ValidationFailed,
          'A new upstream needs an apiKey (an openai one without a key needs a baseUrl)',
        );
      }
      return this.upstreams.save(tx, { id, kind: command.kind, baseUrl, model: command.model, ...sealed, updatedBy });
    });
    this.logger.info(
      { upstream: saved.kind, model: saved.model, keyChanged: command.apiKey !== null },
      'Tenant speech upstream set',
    );
    return sttUpstreamView(saved);
  }
}
