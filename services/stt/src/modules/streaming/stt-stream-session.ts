import { randomUUID } from 'node:crypto';
import { DomainException, ErrorCode, STT_STREAM_LIMITS, type SttServerMessage, type SttStart } from '@parley/contracts';
import type { SttWorkerPool } from '../engine/stt-worker-pool';
import type { SttPrincipal } from '../principal/stt-principal';
import type { SttUsage } from '../usage/stt-usage';
import { pcmSource, type PcmSource } from './pcm-source';
import { type AudioBudget, BUDGET_MESSAGES, budgetExceeded, BYTES_PER_SECOND, FrameLimits } from './stream-session';
import { agreedPrefix, FRAME_BYTES, partialText, VoiceActivity } from './voice-activity';

/** Audio kept from before the first loud frame, so the utterance does not start mid-syllable. */
const PRE_ROLL_FRAMES = 15;
/** An utterance longer than Whisper's 30 s window is finished there. */
const MAX_UTTERANCE_BYTES = 28 * BYTES_PER_SECOND;

export interface SessionDeps {
  pool: SttWorkerPool;
  /** Records an utterance's usage (under the session's budget reservation). */
  usage: Pick<SttUsage, 'record'>;
  principal: SttPrincipal;
  beamSize: number;
  send: (message: SttServerMessage) => void;
  /** The session is over (after `stt.stopped`): the socket may close. */
  onClosed: () => void;
}

type StopReason = Extract<SttServerMessage, { type: 'stt.stopped' }>['reason'];

/**
 * One streaming session: audio in, voice-activity endpointing, `stt.partial` every 500 ms while
 * speech goes on (the partial model re-decodes the growing utterance; the prefix consecutive decodes
 * agree on is `stable`), `stt.final` per utterance with the main model (metered once), bounded in
 * frame size, rate, length and the tenant's remaining minutes.
 */
export class SttStreamSession {
  readonly id = randomUUID();
  private readonly vad: VoiceActivity;
  private readonly source: PcmSource;
  private readonly maxTimer: NodeJS.Timeout;
  private pending: Buffer = Buffer.alloc(0);
  private preRoll: Buffer[] = [];
  private utterance: Buffer[] = [];
  private utteranceBytes = 0;
  private utteranceStartByte = 0;
  private utteranceId = 0;
  private readonly limits: FrameLimits;
  private processedBytes = 0;
  private partialTimer: NodeJS.Timeout | undefined;
  private decoding = false;
  private hypothesis = '';
  private stable = '';
  private finals: Promise<void> = Promise.resolve();
  private closed = false;
  private stopping = false;

  constructor(
    private readonly start: SttStart & { silenceMs: number },
    private readonly budget: AudioBudget,
    private readonly deps: SessionDeps,
  ) {
    this.vad = new VoiceActivity(start.mode === 'push-to-talk' ? Number.POSITIVE_INFINITY : start.silenceMs);
    this.limits = new FrameLimits(start.format);
    this.source = pcmSource(
      start.format,
      (pcm) => this.onPcm(pcm),
      () => void this.finish('stopped'),
      (message) => this.fail('audio_invalid', message),
    );
    this.maxTimer = setTimeout(() => void this.stop('max_duration'), STT_STREAM_LIMITS.maxSessionSeconds * 1000);
    this.maxTimer.unref();
    deps.send({
      type: 'stt.started',
      sessionId: this.id,
      mode: start.mode,
      silenceMs: start.silenceMs,
      remainingSeconds: Math.round(budget.remainingSeconds),
      maxAudioSeconds: budget.maxAudioSeconds,
    });
  }

  /** One binary frame from the client. */
  audio(frame: Buffer): void {
    if (this.closed || this.stopping) return;
    const refusal = this.limits.refusal(frame);
    if (refusal) return this.fail(refusal.code, refusal.message);
    this.source.write(frame);
  }

  /** `stt.stop`: the utterance under way is finished, then the session ends. */
  async stop(reason: StopReason = 'stopped'): Promise<void> {
    if (this.closed || this.stopping) return;
    this.stopping = true;
    if (reason !== 'stopped') return this.finish(reason);
    this.source.end(); // pcm16 ends at once; webm/opus once ffmpeg has drained (then finish)
  }

  /** `stt.abort` or the socket went away: nothing more is sent or metered for the utterance under way. */
  abort(): void {
    if (this.closed) return;
    this.utterance = [];
    this.utteranceBytes = 0;
    this.close('aborted');
  }

  private async finish(reason: StopReason): Promise<void> {
    if (this.closed) return;
    this.stopping = true;
    if (this.utteranceBytes > 0) this.endUtterance();
    await this.finals;
    this.close(reason);
  }

  private close(reason: StopReason): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.maxTimer);
    clearInterval(this.partialTimer);
    this.source.close();
    this.deps.send({ type: 'stt.stopped', reason });
    this.deps.onClosed();
  }

  private fail(code: Extract<SttServerMessage, { type: 'stt.error' }>['code'], message: string): void {
    if (this.closed) return;
    this.deps.send({ type: 'stt.error', code, message, fatal: true });
    this.abort();
  }

  private onPcm(pcm: Buffer): void {
    if (this.closed) return;
    this.pending = this.pending.length ? Buffer.concat([this.pending, pcm]) : pcm;
    while (this.pending.length >= FRAME_BYTES && !this.closed) {
      const frame = this.pending.subarray(0, FRAME_BYTES);
      this.pending = this.pending.subarray(FRAME_BYTES);
      this.onFrame(Buffer.from(frame));
    }
  }

  private onFrame(frame: Buffer): void {
    this.processedBytes += frame.length;
    const exceeded = budgetExceeded(this.budget, this.processedBytes / BYTES_PER_SECOND);
    if (exceeded) {
      this.deps.send({ type: 'stt.error', code: exceeded, message: BUDGET_MESSAGES[exceeded], fatal: true });
      void this.finish(exceeded === 'audio_too_long' ? 'max_duration' : 'quota_exceeded');
      return;
    }
    const event = this.vad.push(frame);
    if (this.utteranceBytes === 0) {
      if (event?.kind !== 'speech-start') {
        this.preRoll.push(frame);
        if (this.preRoll.length > PRE_ROLL_FRAMES) this.preRoll.shift();
        return;
      }
      this.beginUtterance();
    }
    this.utterance.push(frame);
    this.utteranceBytes += frame.length;
    if (event?.kind === 'speech-end' || this.utteranceBytes >= MAX_UTTERANCE_BYTES) this.endUtterance();
  }

  private beginUtterance(): void {
    this.utterance = [...this.preRoll];
    this.utteranceBytes = this.preRoll.reduce((n, f) => n + f.length, 0);
    this.utteranceStartByte = this.processedBytes - FRAME_BYTES - this.utteranceBytes;
    this.preRoll = [];
    this.hypothesis = '';
    this.stable = '';
    this.partialTimer = setInterval(() => this.partial(), STT_STREAM_LIMITS.partialIntervalMs);
  }

  /** Every 500 ms of speech: the latest partial, and a new decode if none is running. */
  private partial(): void {
    const utteranceId = this.utteranceId;
    this.deps.send({
      type: 'stt.partial',
      utteranceId,
      text: partialText(this.stable, this.hypothesis),
      stable: this.stable,
    });
    if (this.decoding) return;
    this.decoding = true;
    const pcm = Buffer.concat(this.utterance);
    this.deps.pool
      .transcribe({
        model: this.deps.pool.hasModel('tiny') && (this.start.language ?? 'en') === 'en' ? 'tiny' : 'base',
        pcm,
        language: this.start.language ?? 'en',
        beam: 1,
        withoutTimestamps: true,
        droppable: true,
      })
      .then(
        (result) => {
          if (utteranceId !== this.utteranceId || this.closed) return;
          this.stable = agreedPrefix(this.hypothesis, result.text, this.stable);
          this.hypothesis = result.text;
        },
        () => undefined, // a partial that could not run is skipped; the final reports errors
      )
      .finally(() => (this.decoding = false));
  }

  private endUtterance(): void {
    clearInterval(this.partialTimer);
    this.partialTimer = undefined;
    const pcm = Buffer.concat(this.utterance);
    const start = this.utteranceStartByte / BYTES_PER_SECOND;
    const utteranceId = this.utteranceId++;
    this.utterance = [];
    this.utteranceBytes = 0;
    this.finals = this.finals.then(() => this.final(utteranceId, pcm, start));
  }

  private async final(utteranceId: number, pcm: Buffer, start: number): Promise<void> {
    if (this.closed) return;
    try {
      const result = await this.deps.pool.transcribe({
        model: 'base',
        pcm,
        language: this.start.language ?? null,
        beam: this.deps.beamSize,
      });
      if (this.closed) return;
      const seconds = pcm.length / BYTES_PER_SECOND;
      const usageId = await this.deps.usage.record({
        principal: this.deps.principal,
        seconds,
        sourceId: `stream:${this.id}:${utteranceId}`,
        provider: 'faster-whisper',
        model: 'whisper-base',
      });
      this.deps.send({
        type: 'stt.final',
        utteranceId,
        text: result.text,
        language: result.language,
        start: round(start),
        end: round(start + seconds),
        usageId,
      });
    } catch (error) {
      const known = error instanceof DomainException;
      const code = known && isStreamCode(error.code) ? error.code : 'service_unavailable';
      this.deps.send({
        type: 'stt.error',
        code,
        message: known ? error.message : 'The utterance could not be transcribed',
        fatal: false,
        details: { utteranceId },
      });
    }
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function isStreamCode(
  code: ErrorCode,
): code is ErrorCode.SttBusy | ErrorCode.SttWorkerFailed | ErrorCode.SttEngineUnavailable | ErrorCode.AudioInvalid {
  return [
    ErrorCode.SttBusy,
    ErrorCode.SttWorkerFailed,
    ErrorCode.SttEngineUnavailable,
    ErrorCode.AudioInvalid,
  ].includes(code);
}
