import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, parseInput, stopGenerationBodySchema } from '@parley/contracts';
import { ConversationCommand } from '../conversations/conversation.command';
import type { ChatPrincipal } from '../principal/chat-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { abortOnClientGone, SILENT_SINK, SseSink, wantsEventStream } from './generation-sink';
import { SendMessageCommand } from './usecases/send-message/send-message.command';
import { SendMessageUseCase } from './usecases/send-message/send-message.usecase';
import { StopGenerationUseCase } from './usecases/stop-generation/stop-generation.usecase';

/**
 * Answers (`/api/v1/conversations/{id}/messages` and `/stop` at the gateway). With
 * `Accept: text/event-stream` the answer streams as Server-Sent Events; otherwise the request
 * waits and gets 201 `{ userMessage, assistantMessage }` (a failed answer: the problem response
 * of its error code). Refusals before the stream are problem responses (429s with `Retry-After`).
 */
@Controller('conversations')
@UseGuards(InternalPrincipalGuard)
export class GenerationController {
  private readonly maxChars: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sendMessage: SendMessageUseCase,
    private readonly stopGeneration: StopGenerationUseCase,
  ) {
    this.maxChars = config.chat?.messageMaxChars ?? 32_000;
  }

  @Post(':id/messages')
  async send(
    @CurrentPrincipal() principal: ChatPrincipal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const command = SendMessageCommand.create(principal, id, body, this.options());
    await this.answer(command, req, res);
  }

  /** Edit and resend: the body replaces the last question; its answer is replaced too. */
  @Post(':id/resend')
  async resend(
    @CurrentPrincipal() principal: ChatPrincipal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(SendMessageCommand.resend(principal, id, body, this.options()), req, res);
  }

  /** The last question answered again; the answer it had is replaced. */
  @Post(':id/regenerate')
  async regenerate(
    @CurrentPrincipal() principal: ChatPrincipal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(SendMessageCommand.regenerate(principal, id, body, this.options()), req, res);
  }

  private options() {
    return { maxChars: this.maxChars, receivedAt: performance.now() };
  }

  /** SSE when asked for, else 201 `{ userMessage, assistantMessage }` once done (a failure: its problem). */
  private async answer(command: SendMessageCommand, req: Request, res: Response): Promise<void> {
    const streaming = wantsEventStream(req.header('accept'));
    const clientGone = abortOnClientGone(res);
    const result = await this.sendMessage.execute(command, streaming ? new SseSink(res) : SILENT_SINK, clientGone);
    if (streaming || res.writableEnded || res.destroyed) return;
    if (result.status === 'failed' && result.error) {
      throw new DomainException(result.error.code, result.error.message, {
        userMessageId: result.userMessage.id,
        assistantMessageId: result.assistantMessage?.id ?? null,
        partial: result.partial,
      });
    }
    res.status(201).json({ userMessage: result.userMessage, assistantMessage: result.assistantMessage });
  }

  @Post(':id/stop')
  @HttpCode(202)
  stop(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string, @Body() body: unknown) {
    parseInput(stopGenerationBodySchema, body, 'body');
    return this.stopGeneration.execute(ConversationCommand.create(principal, id));
  }
}
