import { Global, Module } from '@nestjs/common';
import { SttWorkerPool } from './stt-worker-pool';

/** The offline engine: the worker pool (models loaded once per worker) and its readiness checks. */
@Global()
@Module({ providers: [SttWorkerPool], exports: [SttWorkerPool] })
export class EngineModule {}
