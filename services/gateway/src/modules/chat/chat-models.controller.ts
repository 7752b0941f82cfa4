import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { chatModelListSchema } from '@parley/contracts';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireScope } from '../auth/require-scope.decorator';
import { forwardChatHttp } from './chat-http.relay';
import { ForwardToChatUseCase } from './usecases/forward-to-chat/forward-to-chat.usecase';

/** The models answers come from (the model picker), the local demo model marked; any member. */
@ApiTags('chat')
@ApiBearerAuth('bearer')
@Controller('api/v1/chat/models')
export class ChatModelsController {
  constructor(private readonly forward: ForwardToChatUseCase) {}

  @Get()
  @RequireScope('chat:read')
  @ApiOperation({
    summary: 'Where answers come from, in the order tried; `localDemo` marks the small local demo model',
  })
  @ApiOkResponse({ schema: z.toJSONSchema(chatModelListSchema, { target: 'openapi-3.0' }) as object })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  async list(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['chat', 'models'] }, req, res);
  }
}
