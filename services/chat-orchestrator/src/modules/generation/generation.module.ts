import { Module } from '@nestjs/common';
import { AccountingModule } from '../accounting/accounting.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { ProviderCredentialsModule } from '../provider-credentials/provider-credentials.module';
import { ProvidersModule } from '../providers/providers.module';
import { QuotaModule } from '../quota/quota.module';
import { SkillsModule } from '../skills/skills.module';
import { ChatMetrics } from './chat-metrics';
import { GenerationController } from './generation.controller';
import { GenerationLocks } from './generation-lock';
import { GenerationPreparer } from './generation-preparer';
import { GenerationRecorder } from './generation-recorder';
import { GenerationRegistry } from './generation-registry';
import { GenerationRunner } from './generation-runner';
import { ProviderSetupCheck } from './provider-setup.check';
import { SendMessageUseCase } from './usecases/send-message/send-message.usecase';
import { StopGenerationUseCase } from './usecases/stop-generation/stop-generation.usecase';

/** Streamed answers: limits, lock, skill, providers, history, the stream, stop, and the stored end. */
@Module({
  imports: [
    AccountingModule,
    ConversationsModule,
    QuotaModule,
    ProvidersModule,
    SkillsModule,
    ProviderCredentialsModule,
  ],
  controllers: [GenerationController],
  providers: [
    ChatMetrics,
    GenerationLocks,
    GenerationRegistry,
    GenerationPreparer,
    GenerationRunner,
    GenerationRecorder,
    ProviderSetupCheck,
    SendMessageUseCase,
    StopGenerationUseCase,
  ],
})
export class GenerationModule {}
