import { z } from 'zod';

/** `GET /api/v1/chat/models`: where the caller's answers can come from, in the order they are tried. */
export const chatModelSchema = z.object({
  /** `tenant:<kind>` (the tenant's own key) or `global:<kind>` (the platform's). */
  provider: z.string(),
  kind: z.enum(['anthropic', 'openai']),
  model: z.string(),
  /** Parley's small local demo model: fine to try the product, not for real work. */
  localDemo: z.boolean(),
});

export const chatModelListSchema = z.object({
  items: z.array(chatModelSchema),
  /** True when every answer would come from the local demo model (no real provider is configured). */
  localDemoOnly: z.boolean(),
});

export type ChatModel = z.infer<typeof chatModelSchema>;
export type ChatModelList = z.infer<typeof chatModelListSchema>;
