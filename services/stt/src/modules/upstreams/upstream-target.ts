import type { EgressPolicy } from '@parley/config';
import type { SttUpstreamKind } from '@parley/contracts';

/** Where a transcription goes: a server, its key and model, and for a tenant's own address the egress policy. */
export interface UpstreamTarget {
  kind: SttUpstreamKind;
  /** `platform`: the operator's (STT_UPSTREAM_*); `tenant`: the tenant's own (BYOK). */
  source: 'platform' | 'tenant';
  baseUrl: string;
  apiKey: string | null;
  model: string;
  /** Set for a tenant's address: every connection goes only where the policy allows. */
  egress: EgressPolicy | null;
}

const PROVIDER_NAMES: Record<SttUpstreamKind, string> = { openai: 'openai-compatible', deepgram: 'deepgram' };

/**
 * Who transcribed, as usage and the price table name it: `openai-compatible` or `deepgram`, with
 * `:tenant` for the tenant's own upstream.
 */
export function usageProvider(target: Pick<UpstreamTarget, 'kind' | 'source'>): string {
  return `${PROVIDER_NAMES[target.kind]}${target.source === 'tenant' ? ':tenant' : ''}`;
}
