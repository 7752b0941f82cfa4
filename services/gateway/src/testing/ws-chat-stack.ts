import { randomUUID } from 'node:crypto';
import { AuthStandIn } from './auth-stand-in';
import { ChatStandIn } from './chat-stand-in';
import { startGateway, type RunningGateway } from './start-gateway';
import { connectChat, type WsChatClient } from './ws-chat-client';

/**
 * A gateway in this process in cloud mode, behind it an auth stand-in (JWKS, token minting) and a
 * chat-orchestrator stand-in, for the WebSocket chat tests. `open` connects a socket with a fresh
 * token; every socket opened (or added to `clients`) is terminated by `close`.
 */
export class WsChatStack {
  readonly clients: WsChatClient[] = [];

  private constructor(
    readonly auth: AuthStandIn,
    readonly chat: ChatStandIn,
    readonly gateway: RunningGateway,
  ) {}

  static async start(extra: Record<string, string> = {}): Promise<WsChatStack> {
    const auth = await AuthStandIn.start();
    const chat = await ChatStandIn.start();
    const gateway = await startGateway({
      DEPLOYMENT_MODE: 'cloud',
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_SERVICE_URL: auth.url,
      CHAT_SERVICE_URL: chat.url,
      ...extra,
    });
    return new WsChatStack(auth, chat, gateway);
  }

  get wsUrl(): string {
    return this.gateway.url.replace(/^http/, 'ws');
  }

  async open(claims: { tid?: string; sub?: string } = {}): Promise<WsChatClient> {
    const token = await this.auth.mint({ tid: claims.tid ?? randomUUID(), sub: claims.sub ?? randomUUID() });
    const client = await connectChat(this.wsUrl, token);
    this.clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.ws.terminate();
    await this.gateway.close();
    await this.chat.close();
    await this.auth.close();
  }
}
