import type { SnippetSegment } from '@parley/contracts';

/**
 * A search snippet from the API: plain-text segments, the matched words in `<mark>`. React renders
 * each segment as text, so markup in a message can never become HTML here.
 */
export function Snippet({ segments }: { segments: readonly SnippetSegment[] }) {
  return (
    <span className="snippet">
      {segments.map((segment, i) => (segment.highlight ? <mark key={i}>{segment.text}</mark> : segment.text))}
    </span>
  );
}
