/**
 * The orchestrator path for a route: each segment (fixed names and route parameters as Express
 * decoded them) is percent-encoded again, so a parameter can never add a slash or leave its
 * position; `.` and `..` are refused (null → 404). The query string travels as the client sent it
 * (the orchestrator validates it; NUL bytes were refused at the edge).
 */
export function chatUpstreamPath(segments: readonly string[], originalUrl: string): string | null {
  const encoded: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return null;
    encoded.push(encodeURIComponent(segment));
  }
  const query = originalUrl.indexOf('?');
  return `/${encoded.join('/')}${query === -1 ? '' : originalUrl.slice(query)}`;
}
