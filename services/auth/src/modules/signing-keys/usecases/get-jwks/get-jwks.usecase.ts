import { Injectable } from '@nestjs/common';
import type { PublicJwk } from '../../signing-key';
import { SigningKeyStore } from '../../signing-key-store';

@Injectable()
export class GetJwksUseCase {
  constructor(private readonly store: SigningKeyStore) {}

  async execute(): Promise<{ keys: PublicJwk[] }> {
    return { keys: await this.store.publishedKeys() };
  }
}
