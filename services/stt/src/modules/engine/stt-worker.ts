import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DomainException, ErrorCode } from '@parley/contracts';

/** What the worker says once its models are loaded (its first line). */
export interface WorkerReady {
  engine: string;
  version: string;
  models: Record<string, { path: string; multilingual: boolean }>;
  cpuThreads: number;
  loadSeconds: number;
  pid: number;
}

/** One transcription a worker runs: 16 kHz mono s16le PCM. */
export interface WorkerJob {
  model: 'base' | 'tiny';
  pcm: Buffer;
  language: string | null;
  beam: number;
  withoutTimestamps?: boolean;
  /** A streaming partial: run only on an idle worker, never queued (a newer one follows in 500 ms). */
  droppable?: boolean;
}

export interface WorkerResult {
  text: string;
  language: string;
  duration: number;
  segments: { start: number; end: number; text: string }[];
}

export interface WorkerSpawnSpec {
  python: string;
  script: string;
  env: Record<string, string>;
  startTimeoutMs: number;
}

type Answer = { id: number; ok: true } & WorkerResult;
type Failure = { id: number; ok: false; error: string };

/**
 * One Python worker process (services/stt/worker/stt_worker.py): JSON lines on stdin/stdout, one
 * job at a time (the pool never gives it two). If the process exits, the job it was running fails
 * with 503 `stt_worker_failed`, and `exited` resolves so the pool starts another.
 */
export class SttWorker {
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, { resolve: (r: WorkerResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readyInfo: WorkerReady | null = null;
  private stderrTail = '';
  private dead = false;

  private constructor(spec: WorkerSpawnSpec) {
    this.child = spawn(spec.python, ['-u', spec.script], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.dead = true;
        const why = `the speech worker exited (${signal ?? `code ${code}`})`;
        for (const { reject } of this.pending.values()) {
          reject(new DomainException(ErrorCode.SttWorkerFailed, `${why} during the transcription; try again`));
        }
        this.pending.clear();
        resolve({ code, signal });
      });
      this.child.once('error', () => undefined); // spawn failures end in 'exit' too
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
  }

  /** Starts a worker and waits for its ready line (its models loaded), or throws with its last stderr. */
  static async start(spec: WorkerSpawnSpec): Promise<SttWorker> {
    const worker = new SttWorker(spec);
    const lines = createInterface({ input: worker.child.stdout });
    const ready = new Promise<WorkerReady>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready after ${spec.startTimeoutMs} ms`)),
        spec.startTimeoutMs,
      );
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line) as WorkerReady);
        } catch {
          reject(new Error(`unexpected first line: ${line.slice(0, 200)}`));
        }
      });
      void worker.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`exited while loading: ${worker.stderrTail.trim().split('\n').slice(-3).join(' | ')}`));
      });
    });
    try {
      worker.readyInfo = await ready;
    } catch (error) {
      worker.kill();
      throw error;
    }
    lines.on('line', (line) => worker.onAnswer(line));
    return worker;
  }

  get info(): WorkerReady {
    return this.readyInfo as WorkerReady;
  }

  get alive(): boolean {
    return !this.dead;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one job; past `timeoutMs` the worker is killed (the job fails, the pool restarts it). */
  run(job: WorkerJob, timeoutMs: number): Promise<WorkerResult> {
    if (this.dead)
      return Promise.reject(new DomainException(ErrorCode.SttWorkerFailed, 'The speech worker is not running'));
    const id = this.nextId++;
    return new Promise<WorkerResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new DomainException(ErrorCode.SttWorkerFailed, `The transcription took longer than ${timeoutMs} ms`));
        this.pending.delete(id);
        this.kill();
      }, timeoutMs);
      const done =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          fn(value);
        };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      const request = {
        id,
        op: 'transcribe',
        model: job.model,
        language: job.language,
        beam: job.beam,
        withoutTimestamps: job.withoutTimestamps ?? false,
        pcm: job.pcm.toString('base64'),
      };
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  kill(): void {
    if (!this.dead) this.child.kill('SIGKILL');
  }

  private onAnswer(line: string): void {
    let answer: Answer | Failure;
    try {
      answer = JSON.parse(line) as Answer | Failure;
    } catch {
      return;
    }
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (answer.ok) {
      waiting.resolve({
        text: answer.text,
        language: answer.language,
        duration: answer.duration,
        segments: answer.segments,
      });
    } else {
      waiting.reject(
        new DomainException(ErrorCode.AudioInvalid, `The engine could not transcribe it: ${answer.error}`),
      );
    }
  }
}
