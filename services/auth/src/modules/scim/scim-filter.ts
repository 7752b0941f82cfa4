import { scimInvalidFilter } from './scim-errors';

/** The one filter shape identity providers send to find a resource: `attribute eq "value"`. */
export interface ScimEquality {
  attribute: string;
  value: string;
}

const EQUALITY = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;

/**
 * Parses `filter` (RFC 7644 §3.4.2.2) for the attributes given, case-insensitive on the attribute
 * name. Only `eq` on those attributes is supported (what Okta and Entra send); anything else is 400
 * `invalidFilter`, never a silently wider answer.
 */
export function parseEqualityFilter(filter: string | undefined, attributes: readonly string[]): ScimEquality | null {
  if (filter === undefined || filter.trim() === '') return null;
  if (filter.length > 500) throw scimInvalidFilter('The filter is too long');
  const match = EQUALITY.exec(filter);
  const attribute = attributes.find((name) => name.toLowerCase() === match?.[1]?.toLowerCase());
  if (!match || !attribute) {
    throw scimInvalidFilter(
      `Only filters of the form <attribute> eq "<value>" on ${attributes.join(', ')} are supported`,
    );
  }
  return { attribute, value: (match[2] ?? '').replace(/\\(.)/g, '$1') };
}

/** `startIndex` (1-based) and `count` of a list request, bounded. */
export function pageOf(
  startIndex: string | undefined,
  count: string | undefined,
  maxPageSize: number,
): { offset: number; limit: number } {
  const start = Number.parseInt(startIndex ?? '1', 10);
  const size = Number.parseInt(count ?? String(maxPageSize), 10);
  return {
    offset: Number.isFinite(start) && start > 1 ? start - 1 : 0,
    limit: Number.isFinite(size) ? Math.min(Math.max(size, 0), maxPageSize) : maxPageSize,
  };
}
