/** A claimed domain as its tenant's admins see it (`/api/v1/auth/domains`). */
export interface DomainView {
  id: string;
  domain: string;
  status: 'pending' | 'verified';
  verifiedBy: 'dns' | 'mail' | null;
  verifiedAt: string | null;
  createdAt: string;
  /** The TXT record that proves the claim. */
  txtRecord: { name: string; value: string };
  /** Where the last verification mail went, and until when its link works. */
  mail: { sentTo: string; expiresAt: string } | null;
}

/** The admin mailboxes a verification mail may go to. */
export const ADMIN_MAILBOXES = ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'] as const;
export type AdminMailbox = (typeof ADMIN_MAILBOXES)[number];

/** The tenant's SCIM directory sync as its admins see it (`/api/v1/auth/scim`). */
export interface ScimDirectoryView {
  enabled: boolean;
  baseUrl: string;
  tokenHint?: string;
  defaultRole?: 'admin' | 'member' | 'billing';
  groupRoles?: { group: string; role: 'admin' | 'member' | 'billing' }[];
  createdAt?: string;
  rotatedAt?: string;
  /** Only in the answer that created it. */
  token?: string;
}
