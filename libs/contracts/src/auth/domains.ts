import { z } from 'zod';

/** The admin mailboxes a verification mail may go to. */
export const ADMIN_MAILBOXES = ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'] as const;
export type AdminMailbox = (typeof ADMIN_MAILBOXES)[number];

export const claimDomainBodySchema = z.strictObject({ domain: z.string().max(300) });
export const domainMailBodySchema = z.strictObject({ mailbox: z.enum(ADMIN_MAILBOXES) });
export const confirmDomainBodySchema = z.strictObject({ token: z.string().max(200) });

/** A claimed domain as its tenant's admins see it (`/api/v1/auth/domains`). */
export const domainViewSchema = z.object({
  id: z.string(),
  domain: z.string(),
  status: z.enum(['pending', 'verified']),
  verifiedBy: z.enum(['dns', 'mail']).nullable(),
  verifiedAt: z.string().nullable(),
  createdAt: z.string(),
  /** The TXT record that proves the claim. */
  txtRecord: z.object({ name: z.string(), value: z.string() }),
  /** Where the last verification mail went, and until when its link works. */
  mail: z.object({ sentTo: z.string(), expiresAt: z.string() }).nullable(),
});
export type DomainView = z.infer<typeof domainViewSchema>;
export const domainListSchema = z.object({ domains: z.array(domainViewSchema) });
export const domainConfirmedSchema = z.object({ domain: z.string(), status: z.literal('verified') });

const assignableRole = z.enum(['admin', 'member', 'billing']);

/** The tenant's SCIM directory sync as its admins see it (`/api/v1/auth/scim`). */
export const scimDirectoryViewSchema = z.object({
  enabled: z.boolean(),
  baseUrl: z.string(),
  tokenHint: z.string().optional(),
  defaultRole: assignableRole.optional(),
  groupRoles: z.array(z.object({ group: z.string(), role: assignableRole })).optional(),
  createdAt: z.string().optional(),
  rotatedAt: z.string().optional(),
  /** Only in the answer that created it. */
  token: z.string().optional(),
});
export type ScimDirectoryView = z.infer<typeof scimDirectoryViewSchema>;
