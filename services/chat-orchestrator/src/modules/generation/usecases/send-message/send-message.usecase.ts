import { Injectable } from '@nestjs/common';
import type { MessageView } from '../../../conversations/message.view';
import { ChatMetrics } from '../../chat-metrics';
import { GenerationPreparer } from '../../generation-preparer';
import { GenerationRunner, type GenerationResult } from '../../generation-runner';
import type { GenerationSink } from '../../generation-sink';
import type { SendMessageCommand } from './send-message.command';

/**
 * Answers a user message: the checks before the provider call (refusals are ordinary error
 * responses), then the provider request goes out while the two new messages are stored (off the
 * time-to-first-token path; if they cannot be, the request is aborted and the refusal is the
 * answer), then the stream to `sink` until the answer ends and is stored.
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
    const events = this.runner.begin(generation);
    let userMessage: MessageView;
    try {
      userMessage = await this.preparer.store(generation);
    } catch (error) {
      generation.active.abort('refused');
      await events.settled;
      await this.preparer.abandon(generation);
      throw error;
    }
    return this.runner.run({ ...generation, userMessage }, events, sink, clientGone);
  }
}
