import { z } from 'zod';
import { bool, int } from './env-fields';

const optionalHttpUrl = z
  .string()
  .optional()
  .refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL');

const secret = z.string().min(1).max(4096).optional();
const model = (fallback: string) => z.string().min(1).max(200).default(fallback);

/** base64 of exactly 32 bytes, as `openssl rand -base64 32` prints it. */
const base64Key32 = z
  .string()
  .refine(
    (value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32,
    'must be base64 of 32 bytes (openssl rand -base64 32)',
  );

const CHAIN_ENTRY = /^(anthropic|openai)$/;

/** Variables only the chat-orchestrator reads. */
export const chatShape = {
  /** Order of the global providers; a provider takes part when it has a key or an explicit base URL. */
  CHAT_PROVIDER_CHAIN: z
    .string()
    .default('anthropic,openai')
    .refine(
      (value) => value.split(',').every((entry) => CHAIN_ENTRY.test(entry.trim())),
      'must be a comma-separated list of anthropic, openai',
    ),
  ANTHROPIC_API_KEY: secret,
  ANTHROPIC_BASE_URL: optionalHttpUrl,
  ANTHROPIC_MODEL: model('claude-sonnet-4-6'),
  OPENAI_API_KEY: secret,
  /** Any OpenAI-compatible server: OpenRouter, Azure OpenAI, Ollama, vLLM, llama.cpp. */
  OPENAI_BASE_URL: optionalHttpUrl,
  OPENAI_MODEL: model('gpt-4.1-mini'),
  /** The OpenAI-compatible server is Parley's local demo model (`npm start` without a provider key). */
  OPENAI_LOCAL_DEMO: bool(false),
  CHAT_KEY_ENCRYPTION_KEY: base64Key32.optional(),
  CHAT_MAX_OUTPUT_TOKENS: int(1024, 1, 200_000),
  CHAT_CONTEXT_BUDGET_TOKENS: int(8000, 256, 2_000_000),
  /** Conversations whose history a replica keeps in memory (0: no cache, every turn reads it all). */
  CHAT_HISTORY_CACHE_ENTRIES: int(10_000, 0, 1_000_000),
  /** Most bytes of message text that cache holds in all (least recently used conversations go first). */
  CHAT_HISTORY_CACHE_BYTES: int(64 * 1024 * 1024, 0, 8 * 1024 * 1024 * 1024),
  CHAT_MESSAGE_MAX_CHARS: int(32_000, 1, 1_000_000),
  CHAT_PROVIDER_MAX_RETRIES: int(2, 0, 10),
  CHAT_PROVIDER_RETRY_BASE_MS: int(250, 1, 60_000),
  CHAT_PROVIDER_RETRY_MAX_MS: int(10_000, 1, 300_000),
  CHAT_PROVIDER_FIRST_TOKEN_TIMEOUT_MS: int(60_000, 100, 600_000),
  CHAT_PROVIDER_IDLE_TIMEOUT_MS: int(30_000, 100, 600_000),
  CHAT_GENERATION_MAX_MS: int(600_000, 1000, 3_600_000),
  /**
   * How long a running answer's budget reservation lives if its replica never ends it (a crash);
   * unset: CHAT_GENERATION_MAX_MS + 60 s, so no answer outlives it.
   */
  CHAT_BUDGET_RESERVATION_TTL_MS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(1000, 'must be >= 1000')
    .max(7_200_000, 'must be <= 7200000')
    .optional(),
};

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface ChatProviderConfig {
  kind: 'anthropic' | 'openai';
  baseUrl: string;
  apiKey: string | null;
  model: string;
  /** Parley's small local demo model (OPENAI_LOCAL_DEMO), labelled as such for clients. */
  localDemo: boolean;
}

export interface ChatConfig {
  /** Global providers in chain order: only those with a key or an explicit base URL. */
  providers: ChatProviderConfig[];
  /** 32 bytes, or null (development and test only: a fixed development key is used, with a warning). */
  keyEncryptionKey: Buffer | null;
  maxOutputTokens: number;
  contextBudgetTokens: number;
  /** The per-replica cache of conversations' history (bounded LRU; 0 entries or bytes: off). */
  historyCache: { maxEntries: number; maxBytes: number };
  messageMaxChars: number;
  retry: { maxRetries: number; baseMs: number; maxMs: number };
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
  generationMaxMs: number;
  /** Lifetime of a running answer's budget reservation (the strict cap), for a replica that crashed. */
  budgetReservationTtlMs: number;
}

export function toChatConfig(e: Record<string, unknown>): ChatConfig {
  const n = (key: string) => e[key] as number;
  const s = (key: string) => e[key] as string | undefined;
  const candidates: Record<'anthropic' | 'openai', ChatProviderConfig | null> = {
    anthropic:
      s('ANTHROPIC_API_KEY') || s('ANTHROPIC_BASE_URL')
        ? {
            kind: 'anthropic',
            baseUrl: (s('ANTHROPIC_BASE_URL') ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, ''),
            apiKey: s('ANTHROPIC_API_KEY') ?? null,
            model: s('ANTHROPIC_MODEL') as string,
            localDemo: false,
          }
        : null,
    openai:
      s('OPENAI_API_KEY') || s('OPENAI_BASE_URL')
        ? {
            kind: 'openai',
            baseUrl: (s('OPENAI_BASE_URL') ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, ''),
            apiKey: s('OPENAI_API_KEY') ?? null,
            model: s('OPENAI_MODEL') as string,
            localDemo: e.OPENAI_LOCAL_DEMO === true,
          }
        : null,
  };
  const order = [...new Set((s('CHAT_PROVIDER_CHAIN') as string).split(',').map((entry) => entry.trim()))] as (
    'anthropic' | 'openai'
  )[];
  const kek = s('CHAT_KEY_ENCRYPTION_KEY');
  return {
    providers: order.map((kind) => candidates[kind]).filter((p): p is ChatProviderConfig => p !== null),
    keyEncryptionKey: kek ? Buffer.from(kek, 'base64') : null,
    maxOutputTokens: n('CHAT_MAX_OUTPUT_TOKENS'),
    contextBudgetTokens: n('CHAT_CONTEXT_BUDGET_TOKENS'),
    historyCache: { maxEntries: n('CHAT_HISTORY_CACHE_ENTRIES'), maxBytes: n('CHAT_HISTORY_CACHE_BYTES') },
    messageMaxChars: n('CHAT_MESSAGE_MAX_CHARS'),
    retry: {
      maxRetries: n('CHAT_PROVIDER_MAX_RETRIES'),
      baseMs: n('CHAT_PROVIDER_RETRY_BASE_MS'),
      maxMs: n('CHAT_PROVIDER_RETRY_MAX_MS'),
    },
    firstTokenTimeoutMs: n('CHAT_PROVIDER_FIRST_TOKEN_TIMEOUT_MS'),
    idleTimeoutMs: n('CHAT_PROVIDER_IDLE_TIMEOUT_MS'),
    generationMaxMs: n('CHAT_GENERATION_MAX_MS'),
    budgetReservationTtlMs:
      (e.CHAT_BUDGET_RESERVATION_TTL_MS as number | undefined) ?? n('CHAT_GENERATION_MAX_MS') + 60_000,
  };
}
