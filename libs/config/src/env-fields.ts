import { z } from 'zod';

/** Field types shared by the environment schemas. */
export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

export const int = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be >= ${min}`)
    .max(max, `must be <= ${max}`)
    .default(fallback);

function hasProtocol(protocols: readonly string[], value: string): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A required URL with one of the given protocols. */
export const url = (protocols: readonly string[], hint: string) =>
  z
    .string({ message: `is required (${hint})` })
    .min(1, `is required (${hint})`)
    .refine((value) => hasProtocol(protocols, value), `must be a URL like ${hint}`);

/** A URL with one of the given protocols, or the default. */
export const urlWithDefault = (protocols: readonly string[], fallback: string, hint: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => hasProtocol(protocols, value), `must be a URL like ${hint}`);
