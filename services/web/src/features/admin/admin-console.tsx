import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { ADMIN_SECTIONS } from './admin-sections';

/** /admin/*: a section list and the chosen section. The router only mounts it for owners and admins. */
export default function AdminConsole() {
  const { t } = useI18n();
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label={t('admin.sections')}>
        <ul>
          {ADMIN_SECTIONS.map((s) => (
            <li key={s.path}>
              <NavLink to={`/admin/${s.path}`}>{t(s.label)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="admin-main" id="main">
        <Routes>
          <Route index element={<Navigate to={ADMIN_SECTIONS[0]?.path ?? 'members'} replace />} />
          {ADMIN_SECTIONS.map(({ path, Page }) => (
            <Route key={path} path={path} element={<Page />} />
          ))}
        </Routes>
      </main>
    </div>
  );
}
