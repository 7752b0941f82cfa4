import { Module } from '@nestjs/common';
import { SkillResolver } from './skill-resolver';
import { SkillsController } from './skills.controller';
import { SkillsRepository } from './skills.repository';
import { TenantNameReader } from './tenant-name.reader';
import { TenantSkillAudit } from './tenant-skill-audit';
import { CreateSkillUseCase } from './usecases/create-skill/create-skill.usecase';
import { DeleteSkillUseCase } from './usecases/delete-skill/delete-skill.usecase';
import { GetSkillUseCase } from './usecases/get-skill/get-skill.usecase';
import { ListSkillsUseCase } from './usecases/list-skills/list-skills.usecase';
import { UpdateSkillUseCase } from './usecases/update-skill/update-skill.usecase';

/**
 * Skills: `/skills` CRUD (built-in, tenant and private skills) and `SkillResolver`, which turns a
 * `/command` message into a system prompt for the generation path. Needs the global TenantDb,
 * DATA_SOURCE and LOGGER (PlatformModule) and PrincipalModule.
 */
@Module({
  controllers: [SkillsController],
  providers: [
    SkillsRepository,
    TenantNameReader,
    TenantSkillAudit,
    SkillResolver,
    ListSkillsUseCase,
    GetSkillUseCase,
    CreateSkillUseCase,
    UpdateSkillUseCase,
    DeleteSkillUseCase,
  ],
  exports: [SkillResolver],
})
export class SkillsModule {}
