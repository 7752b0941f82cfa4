/** Keys shorter than this get no characters in their hint: four of them would give too much away. */
const MIN_LENGTH_FOR_HINT = 12;

/** `…` and the key's last four characters, enough to tell keys apart and never enough to use one. */
export function keyHint(apiKey: string): string {
  return apiKey.length >= MIN_LENGTH_FOR_HINT ? `…${apiKey.slice(-4)}` : '…';
}
