/**
 * Escapes a value for an LDAP search filter (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL become
 * `\2a`, `\28`, `\29`, `\5c`, `\00`, so what a person types can never widen or rewrite the filter
 * (`*`, `admin)(uid=*`).
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\u0000]/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The admin's filter template with `{login}` replaced by the escaped login. */
export function userFilterFor(template: string, login: string): string {
  return template.split('{login}').join(escapeFilterValue(login));
}

/** The common name of a group DN (`cn=Parley Admins,ou=groups,…` → `Parley Admins`), else the DN. */
export function groupName(groupDn: string): string {
  const match = /^cn=((?:\\.|[^,])+)/i.exec(groupDn.trim());
  return match?.[1] ? match[1].replace(/\\(.)/g, '$1') : groupDn;
}
