import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { APP_CONFIG, type AppConfig, type SttConfig } from '@parley/config';
import { HealthRegistry, LOGGER, type Logger } from '@parley/observability';
import { BusyException } from './busy.exception';
import { SttWorker, type WorkerJob, type WorkerReady, type WorkerResult } from './stt-worker';

const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;

interface Slot {
  index: number;
  worker: SttWorker | null;
  busy: boolean;
  /** The model of the job it runs. */
  running: WorkerJob['model'] | null;
  restartDelayMs: number;
  lastError: string | null;
}

interface Waiting {
  job: WorkerJob;
  resolve: (result: WorkerResult) => void;
  reject: (error: unknown) => void;
}

/** The engine as readiness and the status route describe it. */
export interface EngineStatus {
  engine: 'faster-whisper';
  configured: boolean;
  workers: { ready: number; size: number; busy: number };
  /** The models of the jobs running now. */
  running: WorkerJob['model'][];
  queued: number;
  models: Record<string, string>;
  version: string | null;
  error: string | null;
}

/**
 * `STT_WORKERS` Python workers, each with the models loaded once. A job goes to an idle worker or
 * waits in a queue of at most `STT_QUEUE_MAX` (then 429 `stt_busy` with Retry-After). A worker that
 * exits fails the job it ran (503 `stt_worker_failed`) and is started again, with a backoff that
 * doubles from 0.5 s to 30 s while it keeps failing to start.
 */
@Injectable()
export class SttWorkerPool implements OnModuleInit, OnApplicationShutdown {
  private readonly config: SttConfig;
  private readonly slots: Slot[];
  private readonly queue: Waiting[] = [];
  private closing = false;
  private readyInfo: WorkerReady | null = null;
  /** Whether the platform-wide upstreams take uploads and live sessions away from this engine. */
  private readonly upstreams: { upload: boolean; stream: boolean };
  /** Seconds one job takes on average (for Retry-After), from the jobs run so far. */
  private averageJobSeconds = 2;

  constructor(
    @Inject(APP_CONFIG) appConfig: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
  ) {
    if (!appConfig.stt) throw new Error('SttWorkerPool needs the stt configuration');
    this.config = appConfig.stt;
    this.upstreams = { upload: appConfig.stt.upstream !== null, stream: appConfig.stt.streamUpstream !== null };
    this.slots = Array.from({ length: this.config.workers }, (_, index) => ({
      index,
      worker: null,
      busy: false,
      running: null,
      restartDelayMs: RESTART_MIN_MS,
      lastError: null,
    }));
  }

  onModuleInit(): void {
    // With platform upstreams for both uploads and live sessions, the embedded engine serves no one by
    // default (only as the fallback of nothing): its state is reported, and does not gate readiness.
    const critical = !(this.upstreams.upload && this.upstreams.stream);
    this.health.register(
      'stt-engine',
      async () => {
        const status = this.status();
        if (!status.configured) throw new Error(status.error ?? 'not configured');
        if (status.workers.ready === 0) throw new Error(status.error ?? 'no worker ready yet (loading the models)');
      },
      { critical },
    );
    for (const [name, path] of Object.entries(this.modelDirs())) {
      this.health.register(
        `stt-model-${name}`,
        async () => {
          if (!existsSync(join(path, 'model.bin'))) throw new Error(`no model.bin in ${path}`);
          if (!this.readyInfo?.models[name]) throw new Error('not loaded yet');
        },
        { critical },
      );
    }
    if (!this.configured()) {
      this.logger.warn('Speech engine not configured (STT_PYTHON, STT_MODEL_DIR): transcriptions answer 503');
      return;
    }
    for (const slot of this.slots) void this.startWorker(slot);
  }

  onApplicationShutdown(): void {
    this.closing = true;
    for (const waiting of this.queue.splice(0)) {
      waiting.reject(new DomainException(ErrorCode.ServiceUnavailable, 'The service is shutting down'));
    }
    for (const slot of this.slots) slot.worker?.kill();
  }

  status(): EngineStatus {
    const ready = this.slots.filter((s) => s.worker?.alive).length;
    return {
      engine: 'faster-whisper',
      configured: this.configured(),
      workers: { ready, size: this.slots.length, busy: this.slots.filter((s) => s.busy).length },
      running: this.slots.flatMap((s) => (s.running ? [s.running] : [])),
      queued: this.queue.length,
      models: this.modelDirs(),
      version: this.readyInfo?.version ?? null,
      error: this.configured()
        ? (this.slots.find((s) => s.lastError)?.lastError ?? null)
        : 'STT_PYTHON and STT_MODEL_DIR are not set (bash scripts/stt-engine.sh install)',
    };
  }

  /** Whether the partial model is loaded (else streaming partials use the main model). */
  hasModel(name: 'base' | 'tiny'): boolean {
    return Boolean(this.readyInfo?.models[name]);
  }

  /** The pids of the running workers (operators and fault tests). */
  workerPids(): number[] {
    return this.slots.flatMap((s) => (s.worker?.alive && s.worker.pid ? [s.worker.pid] : []));
  }

  /** Runs a job on the next idle worker; refuses at once when the engine is down or the queue is full. */
  transcribe(job: WorkerJob): Promise<WorkerResult> {
    if (!this.configured() || this.closing) {
      return Promise.reject(
        new DomainException(ErrorCode.SttEngineUnavailable, 'The speech engine is not installed on this server'),
      );
    }
    if (!this.slots.some((s) => s.worker?.alive)) {
      return Promise.reject(
        new DomainException(ErrorCode.SttEngineUnavailable, 'The speech engine is starting; try again shortly'),
      );
    }
    const idle = this.slots.find((s) => s.worker?.alive && !s.busy);
    if (idle && (!job.droppable || this.queue.length === 0)) return this.runOn(idle, job);
    if (job.droppable) return Promise.reject(new BusyException(1));
    if (this.queue.length >= this.config.queueMax) {
      const perWorker = Math.ceil((this.queue.length + 1) / this.slots.length);
      return Promise.reject(new BusyException(Math.max(1, Math.ceil(perWorker * this.averageJobSeconds))));
    }
    return new Promise((resolve, reject) => this.queue.push({ job, resolve, reject }));
  }

  private async runOn(slot: Slot, job: WorkerJob): Promise<WorkerResult> {
    const worker = slot.worker as SttWorker;
    slot.busy = true;
    slot.running = job.model;
    const started = performance.now();
    try {
      const result = await worker.run(job, this.config.requestTimeoutMs);
      const seconds = (performance.now() - started) / 1000;
      this.averageJobSeconds = this.averageJobSeconds * 0.8 + seconds * 0.2;
      return result;
    } finally {
      slot.busy = false;
      slot.running = null;
      this.next(slot);
    }
  }

  private next(slot: Slot): void {
    if (!slot.worker?.alive || slot.busy) return;
    const waiting = this.queue.shift();
    if (waiting) this.runOn(slot, waiting.job).then(waiting.resolve, waiting.reject);
  }

  private async startWorker(slot: Slot): Promise<void> {
    while (!this.closing) {
      try {
        const worker = await SttWorker.start({
          python: this.config.python as string,
          script: this.workerScript(),
          env: this.workerEnv(),
          startTimeoutMs: this.config.workerStartTimeoutMs,
        });
        if (this.closing) return worker.kill();
        slot.worker = worker;
        slot.lastError = null;
        slot.restartDelayMs = RESTART_MIN_MS;
        this.readyInfo = worker.info;
        this.logger.info({ worker: slot.index, ...worker.info }, 'Speech worker ready');
        this.next(slot);
        const exit = await worker.exited;
        slot.worker = null;
        slot.busy = false;
        if (this.closing) return;
        this.logger.warn({ worker: slot.index, ...exit }, 'Speech worker exited; starting another');
      } catch (error) {
        slot.lastError = error instanceof Error ? error.message : String(error);
        this.logger.error({ worker: slot.index, err: error }, 'Speech worker did not start');
        await new Promise((resolve) => setTimeout(resolve, slot.restartDelayMs).unref());
        slot.restartDelayMs = Math.min(RESTART_MAX_MS, slot.restartDelayMs * 2);
      }
    }
  }

  private configured(): boolean {
    return Boolean(this.config.python && this.config.modelDir);
  }

  private modelDirs(): Record<string, string> {
    const dirs: Record<string, string> = {};
    if (this.config.modelDir) dirs['base'] = this.config.modelDir;
    if (this.config.partialModelDir) dirs['tiny'] = this.config.partialModelDir;
    return dirs;
  }

  private workerEnv(): Record<string, string> {
    const env: Record<string, string> = {
      STT_CPU_THREADS: String(this.config.cpuThreads),
      STT_MODEL_DIR: this.config.modelDir as string,
      OMP_NUM_THREADS: String(this.config.cpuThreads),
    };
    if (this.config.partialModelDir) env['STT_PARTIAL_MODEL_DIR'] = this.config.partialModelDir;
    return env;
  }

  /** STT_WORKER_SCRIPT, or the worker shipped with the service (services/stt/worker, found upwards from here). */
  private workerScript(): string {
    if (this.config.workerScript) return this.config.workerScript;
    for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
      const candidate = join(dir, 'worker', 'stt_worker.py');
      if (existsSync(candidate)) return candidate;
    }
    throw new Error('services/stt/worker/stt_worker.py not found (set STT_WORKER_SCRIPT)');
  }
}
