import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@parley/observability';
import { AudioRetentionRepository } from '../../audio-retention.repository';

/**
 * After a transcription: the uploaded file is kept in the tenant's schema only if the tenant turned
 * retention on; otherwise nothing is written. A failure to keep it is logged, never the caller's error.
 */
@Injectable()
export class KeepUploadAudioUseCase {
  constructor(
    private readonly retention: AudioRetentionRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: { tenantId: string; usageId: string; format: string; audio: Buffer }): Promise<boolean> {
    try {
      return await this.retention.transaction(command.tenantId, (tx) =>
        this.retention.keepIfEnabled(tx, { usageId: command.usageId, format: command.format, audio: command.audio }),
      );
    } catch (error) {
      this.logger.error({ err: error, usageId: command.usageId }, 'Uploaded audio could not be kept');
      return false;
    }
  }
}
