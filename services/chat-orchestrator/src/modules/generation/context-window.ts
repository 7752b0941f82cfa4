import type { ChatTurn, CompletionRequest } from '../providers/llm-provider';

/** A stored turn that may go back to the model. */
export interface PastTurn {
  id: string;
  role: 'user' | 'assistant';
  content: string;
}

/** Per turn, for the role markers a provider adds around it (an allowance, not an exact count). */
export const TURN_OVERHEAD_TOKENS = 4;

export interface ContextInput {
  system: string | null;
  /** Newest first, as loaded. */
  history: PastTurn[];
  /** The new user turn. */
  prompt: string;
  budget: number;
  /** Tokens of a text (the system prompt and the new turn). */
  count: (text: string) => number;
  /** Tokens of a stored turn (may be cached by id). */
  countTurn: (turn: PastTurn) => number;
  /** An upper bound of a text's tokens that is free to compute (UTF-8 bytes). */
  bound: (text: string) => number;
}

export interface FittedContext {
  system: string | null;
  /** Oldest first; the last one is the new user turn. */
  messages: ChatTurn[];
  /** Stored turns left out (the oldest), for logs. */
  dropped: number;
}

/**
 * The history that fits the context budget: the system prompt and the new turn always go (even if
 * alone they exceed it: the provider then answers what it can, or refuses), then past turns from
 * the newest back while they fit; the first that does not fit and everything older is dropped.
 * When even the free byte bound of everything fits, nothing is tokenized.
 *
 * The result follows both protocols: it starts with a user turn, and consecutive turns of one role
 * (a question whose answer failed empty, then a new question) are joined into one.
 */
export function fitContext(input: ContextInput): FittedContext {
  const { system, history, prompt, budget } = input;
  const boundOf = (text: string) => input.bound(text) + TURN_OVERHEAD_TOKENS;
  const everything = history.reduce(
    (sum, turn) => sum + boundOf(turn.content),
    (system ? boundOf(system) : 0) + boundOf(prompt),
  );
  let kept: PastTurn[];
  if (everything <= budget) {
    kept = history;
  } else {
    let remaining =
      budget - (system ? input.count(system) + TURN_OVERHEAD_TOKENS : 0) - input.count(prompt) - TURN_OVERHEAD_TOKENS;
    kept = [];
    for (const turn of history) {
      const tokens = input.countTurn(turn) + TURN_OVERHEAD_TOKENS;
      if (tokens > remaining) break;
      remaining -= tokens;
      kept.push(turn);
    }
  }
  const chronological = kept.slice().reverse();
  while (chronological[0]?.role === 'assistant') chronological.shift();
  const messages: ChatTurn[] = [];
  for (const turn of [
    ...chronological.map(({ role, content }) => ({ role, content })),
    { role: 'user' as const, content: prompt },
  ]) {
    const last = messages[messages.length - 1];
    if (last && last.role === turn.role) last.content = `${last.content}\n\n${turn.content}`;
    else messages.push({ ...turn });
  }
  return { system, messages, dropped: history.length - kept.length };
}

/** Every text a request sends, for a token estimate of the prompt. */
export function promptTexts(request: Pick<CompletionRequest, 'system' | 'messages'>): string[] {
  return [...(request.system ? [request.system] : []), ...request.messages.map((m) => m.content)];
}
