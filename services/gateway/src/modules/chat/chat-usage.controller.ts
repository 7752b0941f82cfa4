import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireScope } from '../auth/require-scope.decorator';
import { forwardChatHttp } from './chat-http.relay';
import { ChatQuotaDto, ChatStatsDto } from './dtos/chat-usage.dto';
import { ForwardToChatUseCase } from './usecases/forward-to-chat/forward-to-chat.usecase';

const DATE = { type: 'string', format: 'date' } as const;

/** Chat usage: daily statistics and the plan's quota, forwarded to the chat-orchestrator. */
@ApiTags('chat')
@ApiBearerAuth('bearer')
@Controller('api/v1/chat')
export class ChatUsageController {
  constructor(private readonly forward: ForwardToChatUseCase) {}

  @Get('stats')
  @RequireScope('stats:read')
  @ApiOperation({ summary: 'Daily chat statistics (default: the last 30 days, at most 366)' })
  @ApiQuery({ name: 'from', required: false, schema: DATE })
  @ApiQuery({ name: 'to', required: false, schema: DATE })
  @ApiQuery({ name: 'by', required: false, enum: ['user'], description: 'Per-user totals (owners and admins)' })
  @ApiOkResponse({ type: ChatStatsDto })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  async stats(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['chat', 'stats'] }, req, res);
  }

  @Get('quota')
  @RequireScope('stats:read')
  @ApiOperation({ summary: "The plan's monthly tokens, how many are used, and the hourly request limit" })
  @ApiOkResponse({ type: ChatQuotaDto })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  async quota(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['chat', 'quota'] }, req, res);
  }
}
