import { countTokens } from 'gpt-tokenizer';

/** Text such as `<|endoftext|>` counts as plain text (by default the tokenizer throws on it). */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
import type { SimProtocol, SimScenario } from './sim-types';

/**
 * The deterministic answer of the simulator and its token counts.
 *
 * Counts use gpt-tokenizer (o200k_base, the GPT-4o/4.1 encoding) for both protocols:
 * - input tokens = countTokens(prompt), where prompt is the system prompt and every message's text
 *   joined by "\n" (no per-message overhead);
 * - output tokens = the sum of countTokens(chunk) over the text chunks sent.
 * Input tokens are counted when first read, i.e. when the wire sends them: Anthropic's
 * `message_start` (before the first chunk, as Anthropic does), OpenAI's last chunk (after the
 * answer). Counting a long history costs milliseconds, which must not be charged to the time to
 * first token of a client of an OpenAI-shaped endpoint (bench/chat-stream's growing conversation).
 * The answer is cut at the first chunk that would take the output over `max_tokens`
 * (Anthropic `max_tokens`, OpenAI `max_completion_tokens` or `max_tokens`); the stop reason is then
 * `max_tokens` / `length`.
 */
export interface AnswerPlan {
  chunks: string[];
  text: string;
  /** Counted on first read (see above). */
  readonly inputTokens: number;
  outputTokens: number;
  truncated: boolean;
}

export interface PromptInfo {
  /** System prompt and every message's text, joined by "\n". */
  prompt: string;
  /** The last user message's text ('' if none). */
  lastUser: string;
}

const FILLER =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore'.split(' ');

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content as unknown[]) {
    if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
      parts.push((part as { text: string }).text);
    }
  }
  return parts.join('');
}

export function promptInfo(protocol: SimProtocol, body: Record<string, unknown> | null): PromptInfo {
  if (!body) return { prompt: '', lastUser: '' };
  const texts: string[] = [];
  if (protocol === 'anthropic' && body.system !== undefined) texts.push(textOf(body.system));
  let lastUser = '';
  if (Array.isArray(body.messages)) {
    for (const message of body.messages as unknown[]) {
      if (!message || typeof message !== 'object') continue;
      const { role, content } = message as { role?: unknown; content?: unknown };
      const text = textOf(content);
      texts.push(text);
      if (role === 'user') lastUser = text;
    }
  }
  return { prompt: texts.join('\n'), lastUser };
}

/** "Echo: hi  there" → ["Echo:", " hi", "  there"]: each word with the whitespace before it. */
export function splitWords(text: string): string[] {
  return text.split(/(?<=\S)(?=\s)/).filter((chunk) => chunk.length > 0);
}

function defaultChunks(lastUser: string, count: number | undefined): string[] {
  const words = splitWords(`Echo: ${lastUser}`);
  if (count === undefined) return words;
  const chunks = words.slice(0, count);
  for (let i = 0; chunks.length < count; i++) chunks.push(` ${FILLER[i % FILLER.length]}`);
  return chunks;
}

export function planAnswer(args: {
  scenario: SimScenario | null;
  info: PromptInfo;
  maxTokens: number | null;
  defaultChunkCount: number | undefined;
  omitUsage: boolean;
}): AnswerPlan {
  const { scenario, info, maxTokens } = args;
  const wanted =
    scenario?.chunks ??
    (scenario?.text !== undefined ? splitWords(scenario.text) : defaultChunks(info.lastUser, args.defaultChunkCount));
  const chunks: string[] = [];
  let outputTokens = 0;
  let truncated = false;
  for (const chunk of wanted) {
    const tokens = countTokens(chunk, PLAIN_TEXT);
    if (maxTokens !== null && outputTokens + tokens > maxTokens) {
      truncated = true;
      break;
    }
    chunks.push(chunk);
    outputTokens += tokens;
  }
  let inputTokens: number | undefined;
  return {
    chunks,
    text: chunks.join(''),
    get inputTokens() {
      inputTokens ??= args.omitUsage ? 0 : countTokens(info.prompt, PLAIN_TEXT);
      return inputTokens;
    },
    outputTokens,
    truncated,
  };
}
