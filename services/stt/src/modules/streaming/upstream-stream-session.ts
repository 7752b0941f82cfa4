import { randomUUID } from 'node:crypto';
import { DomainException, STT_STREAM_LIMITS, type SttServerMessage, type SttStart } from '@parley/contracts';
import type { SttPrincipal } from '../principal/stt-principal';
import { DeepgramLive, type DeepgramResults } from '../upstreams/deepgram-live';
import { type UpstreamTarget, usageProvider } from '../upstreams/upstream-target';
import type { SttUsage } from '../usage/stt-usage';
import { pcmSource, type PcmSource } from './pcm-source';
import {
  type AudioBudget,
  BUDGET_MESSAGES,
  budgetExceeded,
  BYTES_PER_SECOND,
  FrameLimits,
  type StreamSession,
} from './stream-session';

/** After CloseStream, the upstream has this long to send its last results and close. */
const CLOSE_GRACE_MS = 10_000;

type StopReason = Extract<SttServerMessage, { type: 'stt.stopped' }>['reason'];
type StreamErrorCode = Extract<SttServerMessage, { type: 'stt.error' }>['code'];

export interface UpstreamSessionDeps {
  target: UpstreamTarget;
  /** Records an utterance's usage (under the session's budget reservation). */
  usage: Pick<SttUsage, 'record'>;
  principal: SttPrincipal;
  send: (message: SttServerMessage) => void;
  onClosed: () => void;
}

/**
 * A live session relayed to a Deepgram-protocol upstream, with the same client protocol as the
 * embedded engine: audio (pcm16 as is, webm/opus decoded by ffmpeg) goes up as linear16; the
 * upstream's interim `Results` become `stt.partial` (`stable`: the segments it already made
 * final), and an utterance ends at `speech_final` (hands-free: its endpointing is our silence) or at
 * `stt.stop` (`CloseStream`, then its last results) as one `stt.final`, metered once by its audio
 * seconds. Frame size, rate, session length and the tenant's minutes are bounded here as for the
 * embedded engine; an upstream that fails or closes early ends the session with
 * `stt_upstream_unavailable`.
 */
export class UpstreamStreamSession implements StreamSession {
  readonly id = randomUUID();
  private readonly maxTimer: NodeJS.Timeout;
  private readonly source: PcmSource;
  private upstream!: DeepgramLive;
  private readonly limits: FrameLimits;
  private sentBytes = 0;
  private segments: string[] = [];
  private utteranceStart: number | null = null;
  private utteranceEnd = 0;
  private utteranceId = 0;
  private finals: Promise<void> = Promise.resolve();
  private closeTimer: NodeJS.Timeout | undefined;
  private stopReason: StopReason | null = null;
  private closed = false;

  private constructor(
    private readonly start: SttStart & { silenceMs: number },
    private readonly budget: AudioBudget,
    private readonly deps: UpstreamSessionDeps,
  ) {
    this.limits = new FrameLimits(start.format);
    this.source = pcmSource(
      start.format,
      (pcm) => this.onPcm(pcm),
      () => this.upstream.finish(),
      (message) => this.fail('audio_invalid', message),
    );
    this.maxTimer = setTimeout(() => void this.stop('max_duration'), STT_STREAM_LIMITS.maxSessionSeconds * 1000);
    this.maxTimer.unref();
  }

  /** Connects to the upstream, then answers `stt.started`; a refused or failed connection rejects (nothing sent). */
  static async open(
    start: SttStart & { silenceMs: number },
    budget: AudioBudget,
    deps: UpstreamSessionDeps,
  ): Promise<UpstreamStreamSession> {
    const session = new UpstreamStreamSession(start, budget, deps);
    try {
      session.upstream = await DeepgramLive.connect(
        deps.target,
        {
          language: start.language ?? null,
          endpointingMs: start.mode === 'push-to-talk' ? null : start.silenceMs,
        },
        {
          onResults: (results) => session.onResults(results),
          onClose: (code, reason) => session.onUpstreamClose(code, reason),
        },
      );
    } catch (error) {
      session.closed = true;
      clearTimeout(session.maxTimer);
      session.source.close();
      throw error;
    }
    deps.send({
      type: 'stt.started',
      sessionId: session.id,
      mode: start.mode,
      silenceMs: start.silenceMs,
      remainingSeconds: Math.round(budget.remainingSeconds),
      maxAudioSeconds: budget.maxAudioSeconds,
    });
    return session;
  }

  audio(frame: Buffer): void {
    if (this.closed || this.stopReason) return;
    const refusal = this.limits.refusal(frame);
    if (refusal) return this.fail(refusal.code, refusal.message);
    this.source.write(frame);
  }

  async stop(reason: StopReason = 'stopped'): Promise<void> {
    if (this.closed || this.stopReason) return;
    this.stopReason = reason;
    // The upstream's close (after CloseStream and its last results) ends the session; it gets a grace period.
    this.closeTimer = setTimeout(() => {
      this.upstream.terminate();
      void this.finish();
    }, CLOSE_GRACE_MS);
    this.closeTimer.unref();
    if (reason === 'stopped')
      this.source.end(); // CloseStream once the decoded audio is all sent
    else this.upstream.finish();
  }

  abort(): void {
    if (this.closed) return;
    this.segments = [];
    this.upstream.terminate();
    this.close('aborted');
  }

  private onPcm(pcm: Buffer): void {
    if (this.closed || (this.stopReason && this.stopReason !== 'stopped')) return;
    const limit = Math.min(this.budget.remainingSeconds, this.budget.maxAudioSeconds);
    const room = Math.max(0, Math.floor(limit * BYTES_PER_SECOND) - this.sentBytes);
    if (pcm.length > room) {
      if (room > 0) this.upstream.audio(pcm.subarray(0, room - (room % 2)));
      this.sentBytes += room;
      const exceeded = budgetExceeded(this.budget, (this.sentBytes + 2) / BYTES_PER_SECOND) ?? 'quota_exceeded';
      this.deps.send({ type: 'stt.error', code: exceeded, message: BUDGET_MESSAGES[exceeded], fatal: true });
      void this.stop(exceeded === 'audio_too_long' ? 'max_duration' : 'quota_exceeded');
      return;
    }
    this.sentBytes += pcm.length;
    this.upstream.audio(pcm);
  }

  private onResults(results: DeepgramResults): void {
    if (this.closed) return;
    const transcript = results.channel.alternatives[0]?.transcript.trim() ?? '';
    if (transcript && this.utteranceStart === null) this.utteranceStart = results.start;
    if (!results.is_final) {
      if (!transcript) return;
      const stable = this.segments.join(' ');
      this.deps.send({
        type: 'stt.partial',
        utteranceId: this.utteranceId,
        text: [stable, transcript].filter(Boolean).join(' '),
        stable,
      });
      return;
    }
    if (transcript) {
      this.segments.push(transcript);
      this.utteranceEnd = results.start + results.duration;
    }
    if (results.speech_final) this.endUtterance();
    else if (transcript) {
      const stable = this.segments.join(' ');
      this.deps.send({ type: 'stt.partial', utteranceId: this.utteranceId, text: stable, stable });
    }
  }

  private endUtterance(): void {
    if (this.segments.length === 0 || this.utteranceStart === null) return;
    const text = this.segments.join(' ');
    const start = this.utteranceStart;
    const end = Math.max(start, this.utteranceEnd);
    const utteranceId = this.utteranceId++;
    this.segments = [];
    this.utteranceStart = null;
    this.finals = this.finals.then(() => this.final(utteranceId, text, start, end));
  }

  private async final(utteranceId: number, text: string, start: number, end: number): Promise<void> {
    try {
      const usageId = await this.deps.usage.record({
        principal: this.deps.principal,
        seconds: end - start,
        sourceId: `stream:${this.id}:${utteranceId}`,
        provider: usageProvider(this.deps.target),
        model: this.deps.target.model,
      });
      if (this.closed && this.stopReason === null) return;
      this.deps.send({
        type: 'stt.final',
        utteranceId,
        text,
        language: this.start.language ?? 'en',
        start: round(start),
        end: round(end),
        usageId,
      });
    } catch (error) {
      this.deps.send({
        type: 'stt.error',
        code: 'service_unavailable',
        message: error instanceof DomainException ? error.message : 'The utterance could not be recorded',
        fatal: false,
        details: { utteranceId },
      });
    }
  }

  private onUpstreamClose(code: number, reason: string): void {
    if (this.closed) return;
    if (this.stopReason === null) {
      this.deps.send({
        type: 'stt.error',
        code: 'stt_upstream_unavailable',
        message: `The streaming upstream ended the session (${code}${reason ? `: ${reason}` : ''})`,
        fatal: true,
      });
      this.stopReason = 'error';
    }
    void this.finish();
  }

  /** The last utterance (what the upstream made final), then `stt.stopped`. */
  private async finish(): Promise<void> {
    if (this.closed) return;
    this.endUtterance();
    await this.finals;
    this.close(this.stopReason ?? 'stopped');
  }

  private close(reason: StopReason): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.maxTimer);
    clearTimeout(this.closeTimer);
    this.source.close();
    this.deps.send({ type: 'stt.stopped', reason });
    this.deps.onClosed();
  }

  private fail(code: StreamErrorCode, message: string): void {
    if (this.closed) return;
    this.deps.send({ type: 'stt.error', code, message, fatal: true });
    this.abort();
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
