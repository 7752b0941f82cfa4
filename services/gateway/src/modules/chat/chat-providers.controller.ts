import { Controller, Delete, Get, Param, Put, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { forwardChatHttp } from './chat-http.relay';
import { ChatProviderDto, ChatProviderListDto, PROVIDER_KINDS, PutChatProviderDto } from './dtos/chat-provider.dto';
import { ForwardToChatUseCase } from './usecases/forward-to-chat/forward-to-chat.usecase';

const KIND = { name: 'kind', enum: PROVIDER_KINDS } as const;

/**
 * The tenant's own LLM provider keys (bring your own key), forwarded to the chat-orchestrator,
 * which allows owners and admins only (an API key acts as a member: 403). Keys are never returned.
 */
@ApiTags('chat')
@ApiBearerAuth('bearer')
@Controller('api/v1/chat/providers')
export class ChatProvidersController {
  constructor(private readonly forward: ForwardToChatUseCase) {}

  @Get()
  @ApiOperation({ summary: "The tenant's providers (owners and admins)" })
  @ApiOkResponse({ type: ChatProviderListDto })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  async list(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['chat', 'providers'] }, req, res);
  }

  @Put(':kind')
  @ApiOperation({ summary: "Set the tenant's key, base URL, model and priority for a provider (owners and admins)" })
  @ApiParam(KIND)
  @ApiBody({ type: PutChatProviderDto })
  @ApiOkResponse({ type: ChatProviderDto })
  @ApiProblems(400, 401, 403, 404, 413, 429, 503, 504)
  async put(
    @CurrentPrincipal() principal: Principal,
    @Param('kind') kind: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['chat', 'providers', kind] }, req, res);
  }

  @Delete(':kind')
  @ApiOperation({ summary: "Remove the tenant's provider (the global chain applies again)" })
  @ApiParam(KIND)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('kind') kind: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['chat', 'providers', kind] }, req, res);
  }
}
