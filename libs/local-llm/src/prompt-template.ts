/**
 * The completion prompt that makes a base (not instruction-tuned) model answer as an assistant: a
 * short preamble, the system prompt as instructions, one example exchange, then the conversation as
 * `User:` / `Assistant:` turns ending with an open `Assistant:`. The model continues the text; the
 * stop sequences end the answer where it would start writing the next turn.
 */
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export const ASSISTANT_NAME = 'Parley';

const PREAMBLE =
  `Below is a conversation between a user and ${ASSISTANT_NAME}, a helpful, friendly and honest AI assistant. ` +
  `${ASSISTANT_NAME} answers the user's latest message directly, in the user's language, in a few clear sentences.`;

const EXAMPLE: ChatTurn[] = [
  { role: 'user', content: 'Hello! Who are you?' },
  { role: 'assistant', content: `Hello! I am ${ASSISTANT_NAME}, an AI assistant. How can I help you today?` },
];

/** Where the answer ends: the model starting the next turn of either side. */
export const STOP_SEQUENCES: readonly string[] = ['\nUser:', '\nAssistant:', `\n${ASSISTANT_NAME}:`, '<end_of_turn>'];

const LABEL = { user: 'User', assistant: 'Assistant' } as const;

/** Turn text on one logical line group: no line may start a fake turn of the other side. */
function clean(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/^(User|Assistant):/gm, '$1 -')
    .trim();
}

/**
 * The prompt for `turns` (system turns are instructions, the rest alternate in order). `keepFrom`
 * drops the conversation turns before that index (to fit a context window); the preamble, the
 * instructions and the example always stay.
 */
export function completionPrompt(turns: readonly ChatTurn[], keepFrom = 0): string {
  const system = turns
    .filter((t) => t.role === 'system')
    .map((t) => clean(t.content))
    .filter((t) => t.length > 0);
  const conversation = turns.filter((t) => t.role !== 'system').slice(keepFrom);
  const parts = [PREAMBLE];
  if (system.length > 0) parts.push(`Instructions for ${ASSISTANT_NAME}: ${system.join('\n')}`);
  const lines = [...EXAMPLE, ...conversation].map(
    (t) => `${LABEL[t.role as 'user' | 'assistant']}: ${clean(t.content)}`,
  );
  return `${parts.join('\n\n')}\n\n${lines.join('\n\n')}\n\nAssistant:`;
}

/** The number of conversation (non-system) turns, the bound of `keepFrom`. */
export function conversationLength(turns: readonly ChatTurn[]): number {
  return turns.filter((t) => t.role !== 'system').length;
}

/** The answer as shown: without a stop sequence the model started, surrounding blank space trimmed. */
export function trimAnswer(text: string): string {
  let end = text.length;
  for (const stop of STOP_SEQUENCES) {
    const at = text.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end).trim();
}
