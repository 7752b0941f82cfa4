import { describe, expect, it } from 'vitest';
import { escapeFilterValue, groupName, userFilterFor } from './ldap-filter';

describe('LDAP filters', () => {
  it('escapes every filter metacharacter (RFC 4515)', () => {
    expect(escapeFilterValue('*')).toBe('\\2a');
    expect(escapeFilterValue('ann)(uid=*')).toBe('ann\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\u0000c')).toBe('a\\5cb\\00c');
    expect(escapeFilterValue('ann.lee@acme.test')).toBe('ann.lee@acme.test');
  });

  it('puts the escaped login wherever the template says {login}', () => {
    expect(userFilterFor('(|(mail={login})(uid={login}))', 'x*')).toBe('(|(mail=x\\2a)(uid=x\\2a))');
  });

  it('reads a group name from its DN', () => {
    expect(groupName('cn=Parley Admins,ou=groups,dc=acme,dc=test')).toBe('Parley Admins');
    expect(groupName('CN=Sales\\, EMEA,OU=Groups,DC=corp')).toBe('Sales, EMEA');
    expect(groupName('uid=x,dc=acme')).toBe('uid=x,dc=acme');
  });
});
