import { Module } from '@nestjs/common';
import { TranscriptionModule } from '../transcription/transcription.module';
import { UpstreamsModule } from '../upstreams/upstreams.module';
import { SttStreamEndpoint } from './stt-stream.endpoint';

/** Real-time sessions at `/stream` (the gateway relays `/ws` speech to it), on the embedded engine or a streaming upstream. */
@Module({
  imports: [TranscriptionModule, UpstreamsModule],
  providers: [SttStreamEndpoint],
  exports: [SttStreamEndpoint],
})
export class StreamingModule {}
