import { Agent } from 'undici';
import type { EgressPolicy } from '@parley/config';

/** Pools drop an idle connection this long before the far side's own keep-alive timeout would. */
const POOL = { keepAliveTimeout: 4_000, keepAliveTimeoutThreshold: 1_000 } as const;

/**
 * The undici connection pools of a client that calls both platform addresses and tenant-supplied
 * ones (a BYOK provider, a speech upstream): kept-alive, Nagle off. A tenant's address goes
 * through pools of its own, one set per egress policy, whose every connection resolves the name
 * through the policy's `lookup` and connects to the very address it checked (no DNS rebinding), so
 * a tenant call never reuses a connection the policy did not check. Check the URL itself first
 * with `EgressPolicy.assertCallable` (literal addresses are not looked up).
 */
export class EgressAgents {
  private readonly platform = new Agent({ ...POOL, connect: { noDelay: true } });
  private readonly tenant = new Map<EgressPolicy, Agent>();

  /** The pools for a call: the platform's, or those checked by `egress`. */
  for(egress: EgressPolicy | null | undefined): Agent {
    if (!egress) return this.platform;
    let agent = this.tenant.get(egress);
    if (!agent) {
      agent = new Agent({ ...POOL, connect: { noDelay: true, lookup: egress.lookup } });
      this.tenant.set(egress, agent);
    }
    return agent;
  }

  /** Closes every connection (at shutdown). */
  destroy(): void {
    for (const agent of [this.platform, ...this.tenant.values()]) agent.destroy().catch(() => undefined);
  }
}
