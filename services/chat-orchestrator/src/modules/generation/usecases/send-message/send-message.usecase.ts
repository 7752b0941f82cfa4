import { Injectable } from '@nestjs/common';
import { ChatMetrics } from '../../chat-metrics';
import { GenerationPreparer } from '../../generation-preparer';
import { GenerationRunner, type GenerationResult } from '../../generation-runner';
import type { GenerationSink } from '../../generation-sink';
import type { SendMessageCommand } from './send-message.command';

/**
 * Answers a user message: the checks and stored messages before the provider call (refusals are
 * ordinary error responses), then the stream to `sink` until the answer ends and is stored.
 */
@Injectable()
export class SendMessageUseCase {
  constructor(
    private readonly preparer: GenerationPreparer,
    private readonly runner: GenerationRunner,
    private readonly metrics: ChatMetrics,
  ) {}

  async execute(command: SendMessageCommand, sink: GenerationSink, clientGone: AbortSignal): Promise<GenerationResult> {
    const generation = await this.preparer.prepare(command);
    this.metrics.preflight.observe(generation.preflightMs / 1000);
    return this.runner.run(generation, sink, clientGone);
  }
}
