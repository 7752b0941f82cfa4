import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { ChatPrincipal } from '../principal/chat-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { GiveFeedbackCommand } from './usecases/give-feedback/give-feedback.command';
import { GiveFeedbackUseCase } from './usecases/give-feedback/give-feedback.usecase';

/** `/messages/{id}/feedback` (public: `/api/v1/messages/{id}/feedback`): thumbs on an answer. */
@Controller('messages')
@UseGuards(InternalPrincipalGuard)
export class FeedbackController {
  constructor(private readonly giveFeedback: GiveFeedbackUseCase) {}

  @Post(':id/feedback')
  @HttpCode(200)
  give(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string, @Body() body: unknown) {
    return this.giveFeedback.execute(GiveFeedbackCommand.create(principal, id, body));
  }
}
