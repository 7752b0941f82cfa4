import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { messageFeedbackBodySchema, messageFeedbackSchema } from '@parley/contracts';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireScope } from '../auth/require-scope.decorator';
import { forwardChatHttp } from './chat-http.relay';
import { ForwardToChatUseCase } from './usecases/forward-to-chat/forward-to-chat.usecase';

const openApi = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io }) as object;

/** Thumbs up or down on an answer of the caller's own conversations, forwarded to the chat-orchestrator. */
@ApiTags('chat')
@ApiBearerAuth('bearer')
@Controller('api/v1/messages')
export class MessageFeedbackController {
  constructor(private readonly forward: ForwardToChatUseCase) {}

  @Post(':id/feedback')
  @HttpCode(200)
  @RequireScope('chat:write')
  @ApiOperation({
    summary: 'Rate an answer (up or down, optional comment ≤ 2000); a second rating replaces the first',
    description: '404 not_found: not an answer of your conversations; 409 feedback_not_allowed: a question.',
  })
  @ApiBody({ schema: openApi(messageFeedbackBodySchema, 'input') })
  @ApiOkResponse({ schema: openApi(messageFeedbackSchema, 'output') })
  @ApiProblems(400, 401, 403, 404, 409, 413, 429, 503, 504)
  async give(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['messages', id, 'feedback'] }, req, res);
  }
}
