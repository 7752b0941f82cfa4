import type { AuditEntry } from '@parley/contracts';

const HEADER = [
  'seq',
  'occurredAt',
  'actorKind',
  'actorId',
  'action',
  'targetType',
  'targetId',
  'ip',
  'userAgent',
  'requestId',
  'details',
  'prevHash',
  'hash',
];

/**
 * RFC 4180 CSV of audit entries (details as JSON). A cell a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`.
 */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e) => [
    String(e.seq),
    e.occurredAt,
    e.actor.kind,
    e.actor.id,
    e.action,
    e.target.type,
    e.target.id,
    e.ip,
    e.userAgent,
    e.requestId,
    JSON.stringify(e.details),
    e.prevHash,
    e.hash,
  ]);
  return [HEADER, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
