import type { SttServerMessage, SttStart } from '@parley/contracts';
import { api } from '../../api/client';

export type SpeechMode = SttStart['mode'];

export interface SpeechHandlers {
  onPartial: (text: string) => void;
  onFinal: (text: string) => void;
  /** 0..1, about 10 times a second while the microphone is open. */
  onLevel: (level: number) => void;
  /** A refusal or failure, by code (`permission_denied`, `no_device`, `unsupported`, or a server `stt.error` code). */
  onError: (code: string) => void;
  onEnded: () => void;
}

/** Why the microphone could not be opened, as an error code the UI translates. */
function micErrorCode(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'permission_denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return 'no_device';
  return 'unsupported';
}

/**
 * One dictation: the microphone at 16 kHz mono, sent as pcm16 frames over its own `/ws` socket
 * (`stt.start`, binary audio, `stt.stop`), the server's `stt.partial` and `stt.final` handed to the
 * caller, and the input level for a meter. `stop()` finishes the utterance under way (its final
 * still arrives); `abort()` drops everything.
 */
export class SpeechSession {
  private socket: WebSocket | null = null;
  private stream: MediaStream | null = null;
  private context: AudioContext | null = null;
  private ended = false;

  private constructor(private readonly handlers: SpeechHandlers) {}

  static async start(mode: SpeechMode, handlers: SpeechHandlers): Promise<SpeechSession> {
    const session = new SpeechSession(handlers);
    await session.open(mode);
    return session;
  }

  stop(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'stt.stop' }));
    this.release();
  }

  abort(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'stt.abort' }));
    this.release();
    this.end();
  }

  private async open(mode: SpeechMode): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) return this.fail('unsupported');
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
      });
    } catch (error) {
      return this.fail(micErrorCode(error));
    }
    const token = await api.tokens.current().catch(() => null);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const socket = token ? new WebSocket(url, ['bearer', token]) : new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onmessage = (event: MessageEvent<string>) => this.receive(JSON.parse(event.data) as { type: string }, mode);
    socket.onclose = () => this.end();
  }

  private receive(frame: { type: string }, mode: SpeechMode): void {
    if (frame.type === 'session.ready') {
      this.socket?.send(JSON.stringify({ type: 'stt.start', format: 'pcm16', sampleRate: 16000, mode }));
      return;
    }
    const message = frame as SttServerMessage;
    switch (message.type) {
      case 'stt.started':
        this.capture();
        return;
      case 'stt.partial':
        this.handlers.onPartial(message.text);
        return;
      case 'stt.final':
        this.handlers.onFinal(message.text);
        return;
      case 'stt.error':
        this.handlers.onError(message.code);
        if (message.fatal) this.release();
        return;
      case 'stt.stopped':
        this.release();
        this.socket?.close(1000);
        this.end();
        return;
    }
  }

  /** Microphone → 16 kHz mono Int16 frames (about 128 ms each) → the socket; and the level meter. */
  private capture(): void {
    if (!this.stream) return;
    const context = new AudioContext({ sampleRate: 16000 });
    this.context = context;
    const input = context.createMediaStreamSource(this.stream);
    // ScriptProcessor needs no separate worklet module (the page's CSP allows scripts from itself only).
    const processor = context.createScriptProcessor(2048, 1, 1);
    processor.onaudioprocess = (event) => {
      const samples = event.inputBuffer.getChannelData(0);
      const pcm = new Int16Array(samples.length);
      let sum = 0;
      for (let i = 0; i < samples.length; i++) {
        const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
        pcm[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
        sum += s * s;
      }
      this.handlers.onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(pcm.buffer);
    };
    input.connect(processor);
    processor.connect(context.destination);
  }

  private release(): void {
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.handlers.onLevel(0);
  }

  private fail(code: string): void {
    this.handlers.onError(code);
    this.release();
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.handlers.onEnded();
  }
}
