import { applyDecorators, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  type ApiBodyOptions,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  conversationPageSchema,
  conversationSchema,
  regenerateBodySchema,
  updateConversationBodySchema,
} from '@parley/contracts';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireScope } from '../auth/require-scope.decorator';
import { forwardChatHttp, type ChatRoute } from './chat-http.relay';
import { CreateConversationDto } from './dtos/conversation.dto';
import { MessagePageDto, SendMessageDto, SendMessageResultDto, StopResultDto } from './dtos/message.dto';
import { ForwardToChatUseCase } from './usecases/forward-to-chat/forward-to-chat.usecase';

const LIMIT = (fallback: number) => ({
  name: 'limit',
  required: false,
  schema: { type: 'integer', minimum: 1, maximum: 100, default: fallback },
});
const openApi = (schema: z.ZodType, io: 'input' | 'output' = 'output') =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', io }) as object;
const CONVERSATION = openApi(conversationSchema);
/** The documentation every answer-generating route shares: SSE or JSON, and the same refusals. */
const ApiGeneration = (body: ApiBodyOptions) =>
  applyDecorators(
    ApiProduces('text/event-stream', 'application/json'),
    ApiBody(body),
    ApiResponse({
      status: 200,
      description: STREAM_DESCRIPTION,
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    }),
    ApiCreatedResponse({
      type: SendMessageResultDto,
      description: 'Without SSE: both messages, once the answer is done',
    }),
    ApiProblems(400, 401, 403, 404, 409, 413, 429, 502, 503, 504),
  );
const CURSOR = { name: 'cursor', required: false, description: 'nextCursor of the previous page' } as const;
const STREAM_DESCRIPTION =
  'With `Accept: text/event-stream`: the answer as Server-Sent Events, sent as they are generated. Each ' +
  'frame is `event: <type>`, `id: <seq>`, `data: <ChatStreamEvent JSON>` (schemas ChatStreamEvent in ' +
  'components): `message.started`, `token`×N, then `message.completed` or `error`. Closing the connection ' +
  'stops the answer (stored as `stopped`).';

/**
 * The caller's conversations and their messages, forwarded to the chat-orchestrator with the
 * verified principal. A conversation belongs to its creator: another user's or tenant's id is 404.
 */
@ApiTags('chat')
@ApiBearerAuth('bearer')
@Controller('api/v1/conversations')
export class ConversationsController {
  constructor(private readonly forward: ForwardToChatUseCase) {}

  @Post()
  @RequireScope('chat:write')
  @ApiOperation({ summary: 'Start a conversation' })
  @ApiBody({ type: CreateConversationDto, required: false })
  @ApiCreatedResponse({ schema: CONVERSATION })
  @ApiProblems(400, 401, 403, 413, 429, 503, 504)
  async create(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.pass(principal, { segments: ['conversations'] }, req, res);
  }

  @Get()
  @RequireScope('chat:read')
  @ApiOperation({
    summary: "The caller's conversations, pinned first then newest activity first; with `q`, a full-text search",
    description:
      'With `q`: the conversations whose title or messages match (websearch syntax: words, "a phrase", -not, ' +
      'or), best match first, each with `match: { rank, messageId, snippet }`; `snippet` is plain-text ' +
      'segments `{ text, highlight }`. Chinese and other scripts without spaces also match by substring.',
  })
  @ApiQuery(LIMIT(20))
  @ApiQuery(CURSOR)
  @ApiQuery({ name: 'q', required: false, schema: { type: 'string', minLength: 1, maxLength: 200 } })
  @ApiOkResponse({ schema: openApi(conversationPageSchema) })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  async list(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.pass(principal, { segments: ['conversations'] }, req, res);
  }

  @Get(':id')
  @RequireScope('chat:read')
  @ApiOperation({ summary: 'One conversation' })
  @ApiOkResponse({ schema: CONVERSATION })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pass(principal, { segments: ['conversations', id] }, req, res);
  }

  @Patch(':id')
  @RequireScope('chat:write')
  @ApiOperation({ summary: 'Rename and/or pin a conversation (pinned ones come first in the list)' })
  @ApiBody({ schema: openApi(updateConversationBodySchema, 'input') })
  @ApiOkResponse({ schema: CONVERSATION })
  @ApiProblems(400, 401, 403, 404, 413, 429, 503, 504)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pass(principal, { segments: ['conversations', id] }, req, res);
  }

  @Delete(':id')
  @RequireScope('chat:write')
  @ApiOperation({ summary: 'Delete a conversation and its messages' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pass(principal, { segments: ['conversations', id] }, req, res);
  }

  @Get(':id/messages')
  @RequireScope('chat:read')
  @ApiOperation({ summary: 'Messages of a conversation, newest first' })
  @ApiQuery(LIMIT(50))
  @ApiQuery(CURSOR)
  @ApiOkResponse({ type: MessagePageDto })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  async messages(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pass(principal, { segments: ['conversations', id, 'messages'] }, req, res);
  }

  @Post(':id/messages')
  @RequireScope('chat:write')
  @ApiOperation({
    summary: 'Send a message and get the answer: streamed (Accept: text/event-stream) or when done',
    description:
      'Refusals come before any stream, as problem answers: 404 not_found, 409 generation_in_progress, ' +
      '429 quota_exceeded (details: limit, used, resetAt) or rate_limited, 400 unknown_skill, ' +
      '503 provider_not_configured.',
  })
  @ApiGeneration({ type: SendMessageDto })
  async send(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pass(principal, { segments: ['conversations', id, 'messages'], generation: true }, req, res);
  }

  @Post(':id/regenerate')
  @RequireScope('chat:write')
  @ApiOperation({
    summary: 'Answer the last question again; its current answer is replaced (SSE or JSON, as sending)',
    description: '409 nothing_to_regenerate when the conversation has no question; other refusals as sending.',
  })
  @ApiGeneration({ schema: openApi(regenerateBodySchema, 'input'), required: false })
  async regenerate(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pass(principal, { segments: ['conversations', id, 'regenerate'], generation: true }, req, res);
  }

  @Post(':id/resend')
  @RequireScope('chat:write')
  @ApiOperation({
    summary: 'Edit and resend the last question: it and its answer are replaced by this message and a new answer',
    description: '409 nothing_to_regenerate when the conversation has no question; other refusals as sending.',
  })
  @ApiGeneration({ type: SendMessageDto })
  async resend(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pass(principal, { segments: ['conversations', id, 'resend'], generation: true }, req, res);
  }

  @Post(':id/stop')
  @HttpCode(202)
  @RequireScope('chat:write')
  @ApiOperation({ summary: 'Stop the answer being generated (whichever replica streams it)' })
  @ApiAcceptedResponse({ type: StopResultDto })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  async stop(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pass(principal, { segments: ['conversations', id, 'stop'] }, req, res);
  }

  private pass(principal: Principal, route: ChatRoute, req: Request, res: Response): Promise<void> {
    return forwardChatHttp(this.forward, principal, route, req, res);
  }
}
