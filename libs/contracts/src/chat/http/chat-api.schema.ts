import { z } from 'zod';
import { upstreamKeyBodySchema } from '../../http/upstream-key-input';

/**
 * The chat-orchestrator's public shapes not covered elsewhere (`/api/v1/conversations/{id}/messages`,
 * `/skills`, `/chat/providers`, `/chat/stats`, `/chat/quota`): the route table, the OpenAPI
 * document and the orchestrator's validation read them from here.
 */
const MODEL_NAME = /^[A-Za-z0-9._:/@+-]+$/;
export const SKILL_COMMAND_PATTERN = /^\/[a-z0-9-]{1,32}$/;
export const PROVIDER_KINDS = ['anthropic', 'openai'] as const;
export const providerKindSchema = z.enum(PROVIDER_KINDS);

export const createConversationBodySchema = z.strictObject({ title: z.string().min(1).max(200).optional() });

/** `{ content, model? }`; the content's upper bound (CHAT_MESSAGE_MAX_CHARS) is the orchestrator's setting. */
export const sendMessageBodySchema = z.strictObject({
  content: z.string().min(1),
  model: z
    .string()
    .min(1)
    .max(200)
    .regex(MODEL_NAME, 'model must be a model name such as gpt-4.1-mini or claude-sonnet-4-5')
    .optional(),
});

/** `POST /conversations/{id}/stop`: `{}` or no body. */
export const stopGenerationBodySchema = z.strictObject({});

export const listMessagesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const messageSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  status: z.enum(['complete', 'streaming', 'stopped', 'failed']),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  /** The skill command used, if any. */
  skill: z.string().nullable(),
  promptTokens: z.number().int().min(0),
  completionTokens: z.number().int().min(0),
  /** True when the provider reported no usage and the tokens were counted locally. */
  usageEstimated: z.boolean(),
  /** Millionths of a US dollar. */
  costMicros: z.number().int().min(0),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  /** In message lists: the feedback given on this answer, or null. */
  feedback: z
    .object({ rating: z.enum(['up', 'down']), comment: z.string().nullable() })
    .nullable()
    .optional(),
});

export const messagePageSchema = z.object({ items: z.array(messageSchema), nextCursor: z.string().nullable() });
export const sendMessageResultSchema = z.object({ userMessage: messageSchema, assistantMessage: messageSchema });
export const stopResultSchema = z.object({ stopped: z.boolean() });

const skillFields = {
  name: z.string().min(1).max(100),
  command: z.string().regex(SKILL_COMMAND_PATTERN, 'command must be / followed by 1 to 32 of a-z, 0-9 and -'),
  description: z.string().max(500).nullable(),
  /** System prompt template; may use {{input}}, {{tenant.name}} and {{date}}. */
  systemPrompt: z.string().min(1).max(20_000),
  model: z.string().min(1).max(200).nullable(),
  /** `tenant` skills: owners and admins only. */
  visibility: z.enum(['private', 'tenant']),
};
export const createSkillBodySchema = z.strictObject({
  ...skillFields,
  description: skillFields.description.optional(),
  model: skillFields.model.optional(),
});
export const updateSkillBodySchema = createSkillBodySchema.partial();
export const skillSchema = z.object({
  /** A UUID, or `builtin:<name>` for a built-in skill. */
  id: z.string(),
  name: z.string(),
  command: z.string(),
  description: z.string().nullable(),
  systemPrompt: z.string(),
  model: z.string().nullable(),
  visibility: z.enum(['builtin', 'tenant', 'private']),
  /** Whether the caller may change or delete it. */
  editable: z.boolean(),
  createdAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export const skillListSchema = z.object({ items: z.array(skillSchema) });

/** `{ apiKey?, baseUrl?, model, priority? }`; the key is stored encrypted and never returned. */
export const putChatProviderBodySchema = upstreamKeyBodySchema.extend({
  priority: z.number().int().min(0).max(100).optional(),
});
export const chatProviderSchema = z.object({
  kind: providerKindSchema,
  /** null: the provider default. */
  baseUrl: z.string().nullable(),
  model: z.string(),
  /** The key is never returned. */
  keyHint: z.string().nullable(),
  /** Lower is tried first. */
  priority: z.number().int(),
  updatedAt: z.iso.datetime(),
});
export const chatProviderListSchema = z.object({ items: z.array(chatProviderSchema) });

export const chatStatsQuerySchema = z.strictObject({
  from: z.string().optional(),
  to: z.string().optional(),
  /** Per-user totals (owners and admins). */
  by: z.literal('user').optional(),
});
const statsTotals = {
  conversations: z.number().int(),
  messages: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costMicros: z.number().int(),
};
export const chatStatsSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  /** Every day of the range, oldest first. */
  days: z.array(z.object({ date: z.iso.date(), ...statsTotals })),
  /** Only with ?by=user (owners and admins). */
  users: z.array(z.object({ kind: z.string(), userId: z.string(), ...statsTotals })).optional(),
});
export const chatQuotaSchema = z.object({
  plan: z.string(),
  tokensPerMonth: z.number().int(),
  tokensUsed: z.number().int(),
  resetAt: z.iso.datetime(),
  chatRequestsPerHour: z.number().int(),
});
