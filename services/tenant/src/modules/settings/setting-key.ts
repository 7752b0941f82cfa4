import { z } from 'zod';

/** A setting key: letters, digits and `._:-`, up to 128 characters (`ui.theme`, `chat:default-model`). */
export const settingKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 characters of A-Z, a-z, 0-9 and ._:-');
