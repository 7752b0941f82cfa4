import { Controller, type DynamicModule, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnCommand, OnEvent, PlatformModule } from '@parley/bus';
import type { AppConfig } from '@parley/config';
import type { MessageOf } from '@parley/contracts';
import type { Logger } from '@parley/observability';
import { BenchEchoV1, BenchTickV1 } from './bench-topics';

type Listener = (message: MessageOf<typeof BenchTickV1>) => void;
export const tickListeners: Listener[] = [];

@Controller()
class BenchConsumer {
  @OnEvent(BenchTickV1)
  tick(@Payload() message: MessageOf<typeof BenchTickV1>): void {
    for (const listener of tickListeners) listener(message);
  }

  @OnCommand(BenchEchoV1)
  echo(@Payload() message: MessageOf<typeof BenchEchoV1>): MessageOf<typeof BenchEchoV1> {
    return { seq: message.seq };
  }
}

@Module({})
export class BenchConsumerApp {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: BenchConsumerApp,
      imports: [PlatformModule.forRoot(config, logger)],
      controllers: [BenchConsumer],
    };
  }
}

@Module({})
export class BenchProducerApp {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: BenchProducerApp,
      imports: [
        PlatformModule.forRoot(config, logger, { bus: { topics: [BenchTickV1, BenchEchoV1], warmRequester: true } }),
      ],
    };
  }
}
