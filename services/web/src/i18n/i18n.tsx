import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { zh } from './zh';

export type Locale = 'en' | 'zh';
export const LOCALES: readonly Locale[] = ['en', 'zh'];
const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, zh };
const LOCALE_NAMES: Record<Locale, string> = { en: 'English', zh: '简体中文' };
const STORAGE_KEY = 'parley.locale';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** `{name}` placeholders filled from vars; a missing one stays visible rather than vanishing. */
export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, vars) => format(catalogue[key], vars);
}

/** The saved choice, else the browser's first language (any `zh*` → Simplified Chinese). */
function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

interface I18n {
  locale: Locale;
  t: Translate;
  setLocale: (locale: Locale) => void;
  localeName: (locale: Locale) => string;
  /** A date (and time) as people of this language write it. */
  date: (iso: string, withTime?: boolean) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      locale,
      t: translator(locale),
      setLocale,
      localeName: (l) => LOCALE_NAMES[l],
      date: (iso, withTime = true) => {
        const tag = locale === 'zh' ? 'zh-CN' : 'en';
        const d = new Date(iso);
        return withTime ? d.toLocaleString(tag) : d.toLocaleDateString(tag);
      },
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
