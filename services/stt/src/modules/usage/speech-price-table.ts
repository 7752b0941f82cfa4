/** Who transcribes, as usage names it without its `:tenant` suffix. */
export type SpeechProvider = 'faster-whisper' | 'openai-compatible' | 'deepgram';

export interface SpeechPriceTable {
  /** Recorded with every cost (`priceTableVersion` of the usage event), so a cost can be recomputed. */
  version: string;
  /** Provider → model name (or a family prefix followed by `-`) → micro-USD per hour of audio. */
  models: Readonly<Record<SpeechProvider, Readonly<Record<string, number>>>>;
}

const perMinute = (dollars: number): number => Math.round(dollars * 60 * 1_000_000);
const perHour = (dollars: number): number => Math.round(dollars * 1_000_000);

/**
 * The list prices (USD, pay-as-you-go) speech is charged at, as the chat price table does for
 * tokens: what the upstream bills for the audio, so a budget caps speech spend with chat's. The
 * embedded engine costs nothing per second (it runs on the platform's own CPUs). A model the table
 * does not list is charged 0, as in chat. A price change is a new table with a new version.
 */
export const SPEECH_PRICE_TABLE: SpeechPriceTable = {
  version: '2026-12-01',
  models: {
    'faster-whisper': {},
    'openai-compatible': {
      // OpenAI
      'whisper-1': perMinute(0.006),
      'gpt-4o-transcribe': perMinute(0.006),
      'gpt-4o-mini-transcribe': perMinute(0.003),
      // Groq
      'whisper-large-v3': perHour(0.111),
      'whisper-large-v3-turbo': perHour(0.04),
      'distil-whisper-large-v3-en': perHour(0.02),
    },
    deepgram: {
      // Deepgram streaming (pay as you go)
      'nova-3': perMinute(0.0077),
      'nova-2': perMinute(0.0058),
    },
  },
};

/** Micro-USD per hour of a provider's model: the exact name, else its longest listed family; else 0. */
export function speechPriceOf(table: SpeechPriceTable, provider: string, model: string): number {
  const models = table.models[provider.replace(/:tenant$/, '') as SpeechProvider] ?? {};
  const exact = models[model];
  if (exact !== undefined) return exact;
  let best: string | null = null;
  for (const name of Object.keys(models)) {
    if (model.startsWith(`${name}-`) && (best === null || name.length > best.length)) best = name;
  }
  return best === null ? 0 : (models[best] ?? 0);
}

/** The cost in micro-USD of `seconds` of audio at a price per hour, rounded half up once. */
export function speechCostMicros(microsPerHour: number, seconds: number): number {
  return Math.round((microsPerHour * seconds) / 3600);
}
