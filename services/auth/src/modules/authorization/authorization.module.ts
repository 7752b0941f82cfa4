import { Module } from '@nestjs/common';
import { ActorResolver } from './actor-resolver';

/** Who is calling and what their role lets them do; checked in the use cases. */
@Module({
  providers: [ActorResolver],
  exports: [ActorResolver],
})
export class AuthorizationModule {}
