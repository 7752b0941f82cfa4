import { Module } from '@nestjs/common';
import { FeedbackController } from './feedback.controller';
import { FeedbackRepository } from './feedback.repository';
import { GiveFeedbackUseCase } from './usecases/give-feedback/give-feedback.usecase';

/** Feedback on answers (`/messages/{id}/feedback`), stored in the tenant schema. */
@Module({
  controllers: [FeedbackController],
  providers: [FeedbackRepository, GiveFeedbackUseCase],
})
export class FeedbackModule {}
