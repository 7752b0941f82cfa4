import { DomainException, ErrorCode, type SnippetSegment } from '@parley/contracts';

/** The furthest a search may page (offset), so a query never walks the whole history. */
export const SEARCH_MAX_OFFSET = 1000;

/** ts_headline's markers around matched words: control characters no stored text contains. */
export const HIGHLIGHT_START = '\u0001';
export const HIGHLIGHT_STOP = '\u0002';

/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai): the `simple` text-search
 * parser sees a whole run as one word, so such a query also matches by substring.
 */
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** The substring a query also matches by, or null when the full-text index alone serves it. */
export function substringNeedle(q: string): string | null {
  return UNSPACED_SCRIPT.test(q) ? q.trim().toLowerCase() : null;
}

/** A search page cursor: base64url of `["q", offset]`. */
export function encodeSearchCursor(offset: number): string {
  return Buffer.from(JSON.stringify(['q', offset]), 'utf8').toString('base64url');
}

export function decodeSearchCursor(raw: string | undefined): number {
  if (raw === undefined) return 0;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value[0] === 'q' && Number.isInteger(value[1])) {
      const offset = value[1] as number;
      if (offset > 0 && offset <= SEARCH_MAX_OFFSET) return offset;
    }
  } catch {
    // falls through to the refusal
  }
  throw new DomainException(ErrorCode.ValidationFailed, 'Invalid cursor', {
    issues: ['cursor: must be a nextCursor value from an earlier page of the same search'],
  });
}

/** ts_headline's output (matches between the markers) as plain-text segments. */
export function headlineSegments(headline: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const push = (text: string, highlight: boolean) => {
    if (text.length === 0) return;
    const last = segments[segments.length - 1];
    if (last && last.highlight === highlight) last.text += text;
    else segments.push({ text, highlight });
  };
  for (const [i, part] of headline.split(HIGHLIGHT_START).entries()) {
    if (i === 0) {
      push(part, false);
      continue;
    }
    const stop = part.indexOf(HIGHLIGHT_STOP);
    if (stop < 0) push(part, true);
    else {
      push(part.slice(0, stop), true);
      push(part.slice(stop + 1).replaceAll(HIGHLIGHT_STOP, ''), false);
    }
  }
  return segments;
}

/** Every case-insensitive occurrence of `needle` in `text` highlighted (substring matches). */
export function substringSegments(text: string, needle: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0 && needle.length > 0; at = lower.indexOf(needle, from)) {
    if (at > from) segments.push({ text: text.slice(from, at), highlight: false });
    segments.push({ text: text.slice(at, at + needle.length), highlight: true });
    from = at + needle.length;
  }
  if (from < text.length) segments.push({ text: text.slice(from), highlight: false });
  return segments;
}
