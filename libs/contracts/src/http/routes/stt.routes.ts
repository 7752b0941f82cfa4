import type { PublicRoute } from './public-route';

/** Speech to text: uploads and the OpenAI-compatible path (issue 15). */
export const STT_ROUTES: readonly PublicRoute[] = [];
