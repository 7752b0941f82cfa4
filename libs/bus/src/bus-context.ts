import { BaseRpcContext } from '@nestjs/microservices';
import type { DecodedHeaders } from './headers';

type BusContextArgs = [topic: string, partition: number, offset: string, headers: DecodedHeaders, attempt: number];

/** What a consumer method can read besides its payload (`@Ctx() ctx: BusContext`). */
export class BusContext extends BaseRpcContext<BusContextArgs> {
  getTopic(): string {
    return this.args[0];
  }
  getPartition(): number {
    return this.args[1];
  }
  getOffset(): string {
    return this.args[2];
  }
  getHeaders(): DecodedHeaders {
    return this.args[3];
  }
  getAttempt(): number {
    return this.args[4];
  }
}
