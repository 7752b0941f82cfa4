import { Controller, Delete, Get, Param, Patch, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RequireScope } from '../auth/require-scope.decorator';
import { forwardChatHttp } from './chat-http.relay';
import { CreateSkillDto, SkillDto, SkillListDto, UpdateSkillDto } from './dtos/skill.dto';
import { ForwardToChatUseCase } from './usecases/forward-to-chat/forward-to-chat.usecase';

/**
 * Skills (`/command` prompts), forwarded to the chat-orchestrator: built-in ones (read-only), the
 * tenant's (owners and admins change them) and the caller's private ones.
 */
@ApiTags('chat')
@ApiBearerAuth('bearer')
@Controller('api/v1/skills')
export class SkillsController {
  constructor(private readonly forward: ForwardToChatUseCase) {}

  @Get()
  @RequireScope('skills:read')
  @ApiOperation({ summary: "The skills the caller can use: built-in, the tenant's and their own" })
  @ApiOkResponse({ type: SkillListDto })
  @ApiProblems(400, 401, 403, 429, 503, 504)
  async list(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['skills'] }, req, res);
  }

  @Post()
  @RequireScope('skills:write')
  @ApiOperation({ summary: 'Create a skill (a `tenant` one: owners and admins only)' })
  @ApiBody({ type: CreateSkillDto })
  @ApiCreatedResponse({ type: SkillDto })
  @ApiProblems(400, 401, 403, 409, 413, 429, 503, 504)
  async create(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['skills'] }, req, res);
  }

  @Get(':id')
  @RequireScope('skills:read')
  @ApiOperation({ summary: 'One skill' })
  @ApiOkResponse({ type: SkillDto })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['skills', id] }, req, res);
  }

  @Patch(':id')
  @RequireScope('skills:write')
  @ApiOperation({ summary: 'Change a skill (built-in ones are read-only)' })
  @ApiBody({ type: UpdateSkillDto })
  @ApiOkResponse({ type: SkillDto })
  @ApiProblems(400, 401, 403, 404, 409, 413, 429, 503, 504)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['skills', id] }, req, res);
  }

  @Delete(':id')
  @RequireScope('skills:write')
  @ApiOperation({ summary: 'Delete a skill' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 403, 404, 429, 503, 504)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await forwardChatHttp(this.forward, principal, { segments: ['skills', id] }, req, res);
  }
}
