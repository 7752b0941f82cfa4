import { NavLink, Outlet } from 'react-router';
import { OrganizationSwitcher } from '../features/auth/organization-switcher';
import { canAdminister, canManageBilling, useSession } from '../features/auth/session';
import { LOCALES, useI18n, type Locale } from '../i18n/i18n';
import { Button } from '../ui/ui';

/** The frame of the signed-in app: brand, navigation (admin only for owners and admins), language, sign-out. */
export function Shell() {
  const { t, locale, setLocale, localeName } = useI18n();
  const { state, signOut } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.main')}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t('nav.chat')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/skills">{t('nav.skills')}</NavLink>
            </li>
            <li>
              <NavLink to="/usage">{t('nav.myUsage')}</NavLink>
            </li>
            {canAdminister(state) && (
              <li>
                <NavLink to="/admin">{t('nav.admin')}</NavLink>
              </li>
            )}
            {canManageBilling(state) && (
              <li>
                <NavLink to="/settings/billing">{t('nav.billing')}</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <OrganizationSwitcher />
        <LanguagePicker locale={locale} onChange={setLocale} label={t('app.language')} name={localeName} />
        {state.status === 'signed-in' && (
          <Button variant="secondary" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </Button>
        )}
      </header>
      <div className="content">
        <Outlet />
      </div>
    </div>
  );
}

export function LanguagePicker({
  locale,
  onChange,
  label,
  name,
}: {
  locale: Locale;
  onChange: (l: Locale) => void;
  label: string;
  name: (l: Locale) => string;
}) {
  return (
    <select aria-label={label} value={locale} onChange={(e) => onChange(e.target.value as Locale)}>
      {LOCALES.map((l) => (
        <option key={l} value={l} lang={l === 'zh' ? 'zh-CN' : 'en'}>
          {name(l)}
        </option>
      ))}
    </select>
  );
}
