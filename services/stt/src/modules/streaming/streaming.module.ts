import { Module } from '@nestjs/common';
import { TranscriptionModule } from '../transcription/transcription.module';
import { SttStreamEndpoint } from './stt-stream.endpoint';

/** Real-time sessions at `/stream` (the gateway relays `/ws` speech to it). */
@Module({ imports: [TranscriptionModule], providers: [SttStreamEndpoint], exports: [SttStreamEndpoint] })
export class StreamingModule {}
