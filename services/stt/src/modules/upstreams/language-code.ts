/** English language names (lower case) to ISO-639-1 codes, built once from the runtime's ICU data. */
let namesToCodes: Map<string, string> | null = null;

function table(): Map<string, string> {
  if (namesToCodes) return namesToCodes;
  const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
  const map = new Map<string, string>();
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (const a of letters) {
    for (const b of letters) {
      const name = names.of(a + b);
      if (name) map.set(name.toLowerCase(), a + b);
    }
  }
  namesToCodes = map;
  return map;
}

/**
 * The language of an upstream's answer as a code: OpenAI's `verbose_json` names it (`english`),
 * other servers give the code (`en`). Unknown: the language asked for, else `und`.
 */
export function languageCode(answered: string | undefined, asked: string | null): string {
  const value = answered?.trim().toLowerCase();
  if (value && /^[a-z]{2,3}$/.test(value)) return value;
  return (value && table().get(value)) ?? asked ?? 'und';
}
