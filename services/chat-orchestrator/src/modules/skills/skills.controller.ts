import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { ChatPrincipal } from '../principal/chat-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { CreateSkillCommand } from './usecases/create-skill/create-skill.command';
import { CreateSkillUseCase } from './usecases/create-skill/create-skill.usecase';
import { DeleteSkillUseCase } from './usecases/delete-skill/delete-skill.usecase';
import { GetSkillUseCase } from './usecases/get-skill/get-skill.usecase';
import { ListSkillsUseCase } from './usecases/list-skills/list-skills.usecase';
import { UpdateSkillCommand } from './usecases/update-skill/update-skill.command';
import { UpdateSkillUseCase } from './usecases/update-skill/update-skill.usecase';

/** `/skills` (public: `/api/v1/skills`): built-in, tenant and the caller's private skills. */
@Controller('skills')
@UseGuards(InternalPrincipalGuard)
export class SkillsController {
  constructor(
    private readonly listSkills: ListSkillsUseCase,
    private readonly getSkill: GetSkillUseCase,
    private readonly createSkill: CreateSkillUseCase,
    private readonly updateSkill: UpdateSkillUseCase,
    private readonly deleteSkill: DeleteSkillUseCase,
  ) {}

  @Get()
  list(@CurrentPrincipal() principal: ChatPrincipal) {
    return this.listSkills.execute({ principal });
  }

  @Post()
  @HttpCode(201)
  create(@CurrentPrincipal() principal: ChatPrincipal, @Body() body: unknown) {
    return this.createSkill.execute(CreateSkillCommand.create(principal, body));
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string) {
    return this.getSkill.execute({ principal, id });
  }

  @Patch(':id')
  update(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string, @Body() body: unknown) {
    return this.updateSkill.execute(UpdateSkillCommand.create(principal, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentPrincipal() principal: ChatPrincipal, @Param('id') id: string) {
    return this.deleteSkill.execute({ principal, id });
  }
}
