import { ADMIN_MAILBOXES, type AdminMailbox, type DomainView } from '@parley/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ssoApi } from '../../api/sso-endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, TextField } from '../../ui/ui';

/** Verified domains: claim one, publish the TXT record (or mail an admin mailbox), verify. */
export function DomainsPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [domain, setDomain] = useState('');
  const domains = useQuery({ queryKey: ['sso', 'domains'], queryFn: ssoApi.domains });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['sso', 'domains'] });
  const claim = useMutation({
    mutationFn: () => ssoApi.claimDomain(domain),
    onSuccess: async () => {
      setDomain('');
      await refresh();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    claim.mutate();
  };
  return (
    <>
      <h1>{t('sso.domains')}</h1>
      <p className="hint">{t('sso.domainsIntro')}</p>
      <form className="inline-form" onSubmit={submit}>
        <TextField label={t('sso.domain')} value={domain} onChange={(e) => setDomain(e.target.value)} required />
        <Button type="submit" disabled={claim.isPending}>
          {t('sso.claim')}
        </Button>
      </form>
      {(domains.error ?? claim.error) && <Alert>{describeError(t, domains.error ?? claim.error)}</Alert>}
      {domains.data?.domains.length === 0 && <p className="hint">{t('sso.noDomains')}</p>}
      {domains.data?.domains.map((d) => (
        <DomainCard key={d.id} domain={d} onChange={refresh} />
      ))}
    </>
  );
}

function DomainCard({ domain, onChange }: { domain: DomainView; onChange: () => Promise<void> }) {
  const { t, date } = useI18n();
  const mailboxId = useId();
  const [mailbox, setMailbox] = useState<AdminMailbox>('admin');
  const verify = useMutation({ mutationFn: () => ssoApi.verifyDomain(domain.id), onSettled: onChange });
  const mail = useMutation({ mutationFn: () => ssoApi.mailDomain(domain.id, mailbox), onSettled: onChange });
  const remove = useMutation({ mutationFn: () => ssoApi.removeDomain(domain.id), onSettled: onChange });
  const error = verify.error ?? mail.error ?? remove.error;
  const verified = domain.status === 'verified';
  return (
    <section className="card" aria-label={domain.domain}>
      <h2>
        {domain.domain}{' '}
        <span className={verified ? 'badge success' : 'badge'}>{verified ? t('sso.verified') : t('sso.pending')}</span>
      </h2>
      {verified && domain.verifiedAt && (
        <p>
          {t(domain.verifiedBy === 'mail' ? 'sso.verifiedByMail' : 'sso.verifiedByDns', {
            time: date(domain.verifiedAt),
          })}
        </p>
      )}
      {!verified && (
        <>
          <p>{t('sso.txtInstructions')}</p>
          <dl className="record">
            <dt>{t('sso.recordName')}</dt>
            <dd className="secret">{domain.txtRecord.name}</dd>
            <dt>{t('sso.recordValue')}</dt>
            <dd className="secret">{domain.txtRecord.value}</dd>
          </dl>
          <p>
            <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
              {t('sso.verifyDns')}
            </Button>
          </p>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={mailboxId}>{t('sso.mailbox')}</label>
              <select id={mailboxId} value={mailbox} onChange={(e) => setMailbox(e.target.value as AdminMailbox)}>
                {ADMIN_MAILBOXES.map((box) => (
                  <option key={box} value={box}>
                    {box}@{domain.domain}
                  </option>
                ))}
              </select>
            </div>
            <Button variant="secondary" onClick={() => mail.mutate()} disabled={mail.isPending}>
              {t('sso.sendMail')}
            </Button>
          </div>
          {domain.mail && (
            <p className="hint">{t('sso.mailSent', { to: domain.mail.sentTo, time: date(domain.mail.expiresAt) })}</p>
          )}
        </>
      )}
      {error && <Alert>{describeError(t, error)}</Alert>}
      <p>
        <Button
          variant="danger"
          aria-label={t('sso.removeDomain', { domain: domain.domain })}
          onClick={() => remove.mutate()}
        >
          {t('admin.remove')}
        </Button>
      </p>
    </section>
  );
}
