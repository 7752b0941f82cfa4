import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Inject, Injectable } from '@nestjs/common';
import { Client, InvalidCredentialsError } from 'ldapts';
import { APP_CONFIG, type AppConfig, EgressPolicy } from '@parley/config';
import { DomainException, ErrorCode, type LdapCheck, type LdapIdentity, type LdapSettings } from '@parley/contracts';

export type { LdapCheck, LdapIdentity } from '@parley/contracts';
import { groupName, userFilterFor } from './ldap-filter';

/** More entries than this for one login means the filter is ambiguous: refused. */
const MAX_MATCHES = 1;

function invalidCredentials(): DomainException {
  return new DomainException(ErrorCode.InvalidCredentials, 'Wrong username or password');
}

function unavailable(cause: unknown): DomainException {
  if (cause instanceof DomainException) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new DomainException(
    ErrorCode.ServiceUnavailable,
    'The organisation’s directory cannot be reached',
    { detail },
    true,
  );
}

/**
 * Sign-in against a tenant's LDAP / Active Directory: connect (through the egress policy, to the
 * very address it checked; `ldaps://` or StartTLS, plain `ldap://` only where the operator allows
 * plaintext), bind as the service account, find exactly one person by the escaped login, bind as
 * that person with the password given (an empty password is refused before any bind: LDAP would
 * take it as an anonymous bind), read email, name and groups. Every connection is closed (`unbind`)
 * whatever happens.
 */
@Injectable()
export class LdapDirectory {
  private readonly egress: EgressPolicy;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.egress = new EgressPolicy(config.egress);
  }

  async authenticate(settings: LdapSettings, login: string, password: string): Promise<LdapIdentity> {
    if (login.trim() === '' || password === '') throw invalidCredentials();
    const identity = await this.withService(settings, noRecord, async (client) => {
      const dn = await this.findPerson(client, settings, login.trim());
      return this.readPerson(client, settings, dn);
    });
    await this.bindAs(settings, identity.dn, password);
    return identity;
  }

  /** A connection test step by step; with a login and password, a real sign-in too. */
  async test(
    settings: LdapSettings,
    probe?: { login: string; password: string },
  ): Promise<{ ok: boolean; checks: LdapCheck[]; identity: LdapIdentity | null }> {
    const checks: LdapCheck[] = [];
    const record: Recorder = (step, ok, detail) => checks.push({ step, ok, detail });
    let identity: LdapIdentity | null = null;
    try {
      identity = await this.withService(settings, record, async (client) => {
        if (!probe) {
          await client.search(settings.userBaseDn, { scope: 'base', attributes: ['dn'] });
          record('search', true, `the base ${settings.userBaseDn} exists`);
          return null;
        }
        const dn = await this.findPerson(client, settings, probe.login);
        record('search', true, `found ${dn}`);
        const person = await this.readPerson(client, settings, dn);
        record('attributes', person.email !== '', `email ${person.email || '(none)'}, ${person.groups.length} groups`);
        return person;
      });
      if (probe && identity) {
        await this.bindAs(settings, identity.dn, probe.password);
        record('user-bind', true, 'the password was accepted');
      }
    } catch (error) {
      record(nextStep(checks), false, error instanceof Error ? error.message : String(error));
    }
    return { ok: checks.every((check) => check.ok), checks, identity };
  }

  /** Runs `work` on a connection bound as the service account, closed afterwards whatever happens. */
  private async withService<T>(
    settings: LdapSettings,
    record: Recorder,
    work: (client: Client) => Promise<T>,
  ): Promise<T> {
    const client = await this.open(settings, record);
    try {
      await client.bind(settings.bindDn, settings.bindPassword).catch((error: unknown) => {
        throw error instanceof InvalidCredentialsError
          ? new DomainException(
              ErrorCode.ServiceUnavailable,
              'The directory refused the service account',
              {
                detail: 'service account bind refused',
              },
              true,
            )
          : unavailable(error);
      });
      if (!settings.startTls) {
        record('connect', true, `connected to ${settings.url}`);
        if (settings.url.toLowerCase().startsWith('ldaps:')) record('tls', true, 'ldaps');
      }
      record('service-bind', true, `bound as ${settings.bindDn}`);
      return await work(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** Binds as the person on a connection of its own: a refused password is `invalid_credentials`. */
  private async bindAs(settings: LdapSettings, dn: string, password: string): Promise<void> {
    const client = await this.open(settings, noRecord);
    try {
      await client.bind(dn, password).catch((error: unknown) => {
        throw error instanceof InvalidCredentialsError ? invalidCredentials() : unavailable(error);
      });
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** Policy, connection and TLS (no bind yet). */
  private async open(settings: LdapSettings, record: Recorder): Promise<Client> {
    const url = new URL(settings.url);
    const secure = url.protocol === 'ldaps:';
    if (!secure && !settings.startTls && !this.egress.allowsPlaintext) {
      throw new DomainException(
        ErrorCode.EgressDenied,
        'Use ldaps:// or StartTLS: passwords never cross the network in clear',
        {
          reason: 'plaintext LDAP is not allowed',
        },
      );
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const address = await this.egress.resolveConnectable(host);
    record('policy', true, `${host} resolves to an allowed address`);
    const port = url.port || (secure ? '636' : '389');
    const tls = tlsOptions(settings, host);
    const client = new Client({
      url: `${secure ? 'ldaps' : 'ldap'}://${isIP(address) === 6 ? `[${address}]` : address}:${port}`,
      timeout: settings.timeoutMs,
      connectTimeout: settings.timeoutMs,
      // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps.
      ...(secure ? { tlsOptions: tls } : {}),
      strictDN: false,
    });
    if (!settings.startTls) return client; // connects at the first bind
    try {
      await client.startTLS(tls);
      record('connect', true, `connected to ${host}:${port}`);
      record('tls', true, 'StartTLS negotiated');
      return client;
    } catch (error) {
      await client.unbind().catch(() => undefined);
      throw unavailable(error);
    }
  }

  private async findPerson(client: Client, settings: LdapSettings, login: string): Promise<string> {
    const { searchEntries } = await client
      .search(settings.userBaseDn, {
        scope: 'sub',
        filter: userFilterFor(settings.userFilter, login),
        attributes: ['dn'],
        sizeLimit: MAX_MATCHES + 1,
      })
      .catch((error: unknown) => {
        // More than sizeLimit entries is an error in some servers (4): ambiguous either way.
        if ((error as { code?: number }).code === 4) return { searchEntries: [{ dn: '' }, { dn: '' }] };
        throw unavailable(error);
      });
    if (searchEntries.length !== MAX_MATCHES || !searchEntries[0]?.dn) throw invalidCredentials();
    return searchEntries[0].dn;
  }

  private async readPerson(client: Client, settings: LdapSettings, dn: string): Promise<LdapIdentity> {
    const attributes = [settings.emailAttribute, settings.nameAttribute, settings.groupsAttribute];
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes }).catch((error: unknown) => {
      throw unavailable(error);
    });
    const entry = searchEntries[0] ?? { dn };
    const values = (name: string) => {
      const value = entry[name];
      return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
        (one): one is string => typeof one === 'string',
      );
    };
    return {
      dn,
      email: (values(settings.emailAttribute)[0] ?? '').trim().toLowerCase(),
      name: (values(settings.nameAttribute)[0] ?? '').trim(),
      groups: values(settings.groupsAttribute).map(groupName),
    };
  }
}

type Recorder = (step: LdapCheck['step'], ok: boolean, detail: string) => void;
const noRecord: Recorder = () => undefined;

function tlsOptions(settings: LdapSettings, host: string): ConnectionOptions {
  return {
    ...(settings.caCertificate ? { ca: [settings.caCertificate] } : {}),
    // The certificate is checked against the name the admin gave, not the address connected to.
    host,
    ...(isIP(host) === 0 ? { servername: host } : {}),
    minVersion: 'TLSv1.2',
  };
}

function nextStep(checks: readonly LdapCheck[]): LdapCheck['step'] {
  const order: LdapCheck['step'][] = ['policy', 'connect', 'tls', 'service-bind', 'search', 'attributes', 'user-bind'];
  return order.find((step) => !checks.some((check) => check.step === step)) ?? 'user-bind';
}
