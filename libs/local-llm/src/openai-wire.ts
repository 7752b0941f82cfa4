import { z } from 'zod';
import type { ChatTurn } from './prompt-template';

/** Text content as OpenAI clients send it: a string or text parts (other parts are refused). */
const content = z.union([
  z.string(),
  z
    .array(z.object({ type: z.literal('text'), text: z.string() }))
    .transform((parts) => parts.map((p) => p.text).join('')),
]);

/**
 * The subset of `POST /v1/chat/completions` the local model serves. Other OpenAI fields (`top_p`,
 * `user`, …) are accepted and ignored, as servers such as llama.cpp and Ollama do.
 */
export const chatCompletionRequestSchema = z.object({
  model: z.string().min(1).max(200),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'developer', 'user', 'assistant']),
        content: content.nullable(),
      }),
    )
    .min(1)
    .max(1000),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export function turnsOf(request: ChatCompletionRequest): ChatTurn[] {
  return request.messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: m.content ?? '',
  }));
}

/** `{ error: { message, type, code } }`, the body OpenAI clients read errors from. */
export function openAiError(type: string, message: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

export interface CompletionIds {
  id: string;
  created: number;
  model: string;
}

export function chunk(ids: CompletionIds, delta: Record<string, string>, finishReason: string | null = null) {
  return {
    id: ids.id,
    object: 'chat.completion.chunk',
    created: ids.created,
    model: ids.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

export function usage(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}
