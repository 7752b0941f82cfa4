import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, EgressPolicy, type SttUpstreamConfig } from '@parley/config';
import { DomainException, ErrorCode, type SttUpstreamKind } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import type { SpeechEngine, SpeechRequest } from '../engine/speech-engine';
import { SttWorkerPool } from '../engine/stt-worker-pool';
import { OpenAiTranscriptionClient } from './openai-transcription.client';
import { SttUpstreamsRepository } from './stt-upstreams.repository';
import { UpstreamKeyEncryption } from './upstream-key-encryption';
import { type UpstreamTarget, usageProvider } from './upstream-target';

/**
 * The engine of a tenant's uploads, in this order: the tenant's own OpenAI-compatible upstream
 * (BYOK, its address under the egress policy), the platform's (`STT_UPSTREAM_*`), else the embedded
 * faster-whisper pool. Live sessions likewise: the tenant's own Deepgram-protocol upstream, the
 * platform's (`STT_STREAM_UPSTREAM_*`), else the embedded engine.
 */
@Injectable()
export class SpeechEngines {
  private readonly platform: SttUpstreamConfig | null;
  private readonly platformStream: SttUpstreamConfig | null;
  private readonly local: SpeechEngine;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    pool: SttWorkerPool,
    private readonly upstreams: SttUpstreamsRepository,
    private readonly encryption: UpstreamKeyEncryption,
    private readonly egress: EgressPolicy,
    private readonly client: OpenAiTranscriptionClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.platform = config.stt?.upstream ?? null;
    this.platformStream = config.stt?.streamUpstream ?? null;
    this.local = {
      provider: 'faster-whisper',
      model: 'whisper-base',
      transcribe: (request: SpeechRequest) =>
        pool.transcribe({ model: 'base', pcm: request.pcm, language: request.language, beam: request.beam }),
    };
  }

  async forTenant(tenantId: string): Promise<SpeechEngine> {
    const own = await this.tenantTarget(tenantId, 'openai');
    if (own) return this.upstreamEngine(own);
    if (this.platform)
      return this.upstreamEngine({ kind: 'openai', source: 'platform', ...this.platform, egress: null });
    return this.local;
  }

  /** Where a live session goes: the tenant's own Deepgram-protocol upstream, the platform's, or null (the embedded engine). */
  async streamTargetFor(tenantId: string): Promise<UpstreamTarget | null> {
    const own = await this.tenantTarget(tenantId, 'deepgram');
    if (own) return own;
    return this.platformStream ? { kind: 'deepgram', source: 'platform', ...this.platformStream, egress: null } : null;
  }

  private async tenantTarget(tenantId: string, kind: SttUpstreamKind): Promise<UpstreamTarget | null> {
    const own = await this.upstreams.find(tenantId, kind);
    if (!own) return null;
    let apiKey: string | null = null;
    if (own.encryptedKey) {
      try {
        apiKey = this.encryption.decrypt(own.encryptedKey, own.id);
      } catch (error) {
        this.logger.error({ err: error, upstream: own.kind }, 'A tenant speech upstream key does not decrypt');
        throw new DomainException(
          ErrorCode.SttUpstreamAuthFailed,
          "The organisation's speech upstream key cannot be read: set it again",
        );
      }
    }
    return { kind, source: 'tenant', baseUrl: own.baseUrl, apiKey, model: own.model, egress: this.egress };
  }

  private upstreamEngine(target: UpstreamTarget): SpeechEngine {
    return {
      provider: usageProvider(target),
      model: target.model,
      transcribe: (request) => this.client.transcribe(target, request),
    };
  }
}
