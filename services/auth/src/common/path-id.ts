import { z } from 'zod';
import { uuidSchema } from '@parley/contracts';

/** An id from a path: a UUID, case-insensitive. */
export const pathIdSchema = z
  .string()
  .max(64)
  .transform((value) => value.toLowerCase())
  .pipe(uuidSchema);
