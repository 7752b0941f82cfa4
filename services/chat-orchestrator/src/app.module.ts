import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import { ChatMessageCompletedV1, UsageRecordedV1 } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { AccountingModule } from './modules/accounting/accounting.module';
import { ConversationsModule } from './modules/conversations/conversations.module';
import { FeedbackModule } from './modules/feedback/feedback.module';
import { GenerationModule } from './modules/generation/generation.module';
import { PrincipalModule } from './modules/principal/principal.module';
import { ProviderCredentialsModule } from './modules/provider-credentials/provider-credentials.module';
import { ProvidersModule } from './modules/providers/providers.module';
import { QuotaModule } from './modules/quota/quota.module';
import { SkillsModule } from './modules/skills/skills.module';
import { StatsModule } from './modules/stats/stats.module';

/** Composition root of the chat-orchestrator service. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, logger, { bus: { topics: [ChatMessageCompletedV1, UsageRecordedV1] } }),
        PrincipalModule,
        AccountingModule,
        ProvidersModule,
        ProviderCredentialsModule,
        SkillsModule,
        StatsModule,
        ConversationsModule,
        FeedbackModule,
        QuotaModule,
        GenerationModule,
      ],
    };
  }
}
