import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, type MessageFeedback } from '@parley/contracts';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { FeedbackRepository } from '../../feedback.repository';
import { messageNotFound, type GiveFeedbackCommand } from './give-feedback.command';

/**
 * A thumbs up or down on an answer in one of the caller's conversations: the message must be the
 * caller's (else 404), an answer (a question: 409 `feedback_not_allowed`) that is no longer being
 * generated (409 `generation_in_progress`); then stored, replacing the caller's earlier one.
 */
@Injectable()
export class GiveFeedbackUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly feedback: FeedbackRepository,
  ) {}

  execute(command: GiveFeedbackCommand): Promise<MessageFeedback> {
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) => {
        const target = await this.feedback.target(scope, command.owner, command.messageId);
        if (!target) throw messageNotFound();
        if (target.role !== 'assistant') {
          throw new DomainException(ErrorCode.FeedbackNotAllowed, 'Feedback is given on answers, not on questions');
        }
        if (target.status === 'streaming') {
          throw new DomainException(ErrorCode.GenerationInProgress, 'The answer is still being generated');
        }
        const row = await this.feedback.upsert(
          scope,
          command.owner,
          command.messageId,
          command.rating,
          command.comment,
        );
        return {
          messageId: row.message_id,
          rating: row.rating,
          comment: row.comment,
          createdAt: row.created_at.toISOString(),
          updatedAt: row.updated_at.toISOString(),
        };
      }),
    );
  }
}
