import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  DEFAULT_ANTHROPIC_BASE_URL,
  DEFAULT_OPENAI_BASE_URL,
  EgressPolicy,
} from '@parley/config';
import { DomainException, ErrorCode, type ChatModel } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { assertTenantId } from '@parley/tenancy';
import type { ProviderKind, ProviderTarget } from '../providers/llm-provider';
import { CredentialEncryption } from './credential-encryption';
import { ProviderCredentialsRepository } from './provider-credentials.repository';

/** How long a replica serves a tenant's decrypted providers from memory (a change on this replica clears it at once). */
export const PROVIDER_TARGETS_CACHE_TTL_MS = 5_000;
const CACHE_MAX_TENANTS = 10_000;

const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
  anthropic: DEFAULT_ANTHROPIC_BASE_URL,
  openai: DEFAULT_OPENAI_BASE_URL,
};

/**
 * Where a tenant's generations go, in the order to try them: the tenant's own providers by
 * priority (`tenant:<kind>`, connected to only as the egress policy allows), then the global chain of CHAT_PROVIDER_CHAIN (`global:<kind>`). It sits
 * on the time-to-first-token path, so a tenant's decrypted rows are kept in memory for at most
 * PROVIDER_TARGETS_CACHE_TTL_MS; PUT and DELETE on this replica drop them at once (other replicas
 * follow within the TTL).
 */
@Injectable()
export class ProviderTargetsResolver {
  private readonly cache = new Map<string, { targets: Promise<ProviderTarget[]>; expiresAt: number }>();
  private readonly globalTargets: readonly ProviderTarget[];
  private readonly globalModels: readonly ChatModel[];

  constructor(
    private readonly credentials: ProviderCredentialsRepository,
    private readonly encryption: CredentialEncryption,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly egress: EgressPolicy,
  ) {
    this.globalTargets = (config.chat?.providers ?? []).map((provider) => ({
      kind: provider.kind,
      baseUrl: provider.baseUrl,
      ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
      model: provider.model,
      label: `global:${provider.kind}`,
    }));
    this.globalModels = (config.chat?.providers ?? []).map((provider) => ({
      provider: `global:${provider.kind}`,
      kind: provider.kind,
      model: provider.model,
      localDemo: provider.localDemo,
    }));
  }

  /** The tenant's providers then the global chain, as `targetsFor` tries them (no keys, no URLs). */
  async modelsFor(tenantId: string): Promise<ChatModel[]> {
    const tenant = (await this.tenantTargets(tenantId)).map((target) => ({
      provider: target.label,
      kind: target.kind,
      model: target.model,
      localDemo: false,
    }));
    return [...tenant, ...this.globalModels];
  }

  /**
   * The targets for one generation (fresh copies: a caller may change them). `modelOverride` (a
   * skill's model) replaces the model of the first target only. None at all: 503
   * `provider_not_configured`.
   */
  async targetsFor(tenantId: string, modelOverride: string | null): Promise<ProviderTarget[]> {
    const targets = [...(await this.tenantTargets(tenantId)), ...this.globalTargets].map((target) => ({ ...target }));
    const first = targets[0];
    if (!first) {
      throw new DomainException(
        ErrorCode.ProviderNotConfigured,
        'No LLM provider is configured. Set ANTHROPIC_API_KEY, or OPENAI_API_KEY and/or OPENAI_BASE_URL ' +
          '(any OpenAI-compatible server) for the platform, or add a key for this tenant with ' +
          'PUT /api/v1/chat/providers/{anthropic|openai}.',
      );
    }
    if (modelOverride) first.model = modelOverride;
    return targets;
  }

  /** Drops a tenant's cached providers (after a change on this replica). */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private tenantTargets(tenantId: string): Promise<ProviderTarget[]> {
    assertTenantId(tenantId);
    const now = Date.now();
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt > now) return cached.targets;
    const targets = this.load(tenantId);
    this.cache.delete(tenantId); // re-inserted last: the map's order is its age
    if (this.cache.size >= CACHE_MAX_TENANTS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    // Stored before it settles, so concurrent callers share one read; a load still running when
    // `forget` runs is not stored again, and a failed one is dropped.
    this.cache.set(tenantId, { targets, expiresAt: now + PROVIDER_TARGETS_CACHE_TTL_MS });
    targets.catch(() => {
      if (this.cache.get(tenantId)?.targets === targets) this.cache.delete(tenantId);
    });
    return targets;
  }

  private async load(tenantId: string): Promise<ProviderTarget[]> {
    const records = await this.credentials.list(tenantId);
    const targets: ProviderTarget[] = [];
    for (const record of records) {
      let apiKey: string | null = null;
      if (record.encryptedKey) {
        try {
          apiKey = this.encryption.decrypt(record.encryptedKey, record.id);
        } catch {
          // Wrong key-encryption key or an altered row: the tenant's other providers and the global chain serve.
          this.logger.error(
            { tenantId, provider: record.kind, credentialId: record.id },
            'A tenant provider key does not decrypt (is CHAT_KEY_ENCRYPTION_KEY the one it was stored with?); provider skipped',
          );
          continue;
        }
      }
      targets.push({
        kind: record.kind,
        baseUrl: record.baseUrl ?? DEFAULT_BASE_URLS[record.kind],
        ...(apiKey ? { apiKey } : {}),
        model: record.model,
        label: `tenant:${record.kind}`,
        // A tenant's address: the egress policy is checked again at each connection (DNS rebinding).
        egress: this.egress,
      });
    }
    return targets;
  }
}
