import { useMemo, type MouseEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { renderMarkdown } from './markdown';

/** An answer's markdown as safe HTML; the copy buttons of code blocks work by delegation. */
export function MarkdownView({ text }: { text: string }) {
  const { t } = useI18n();
  const html = useMemo(() => renderMarkdown(text, t('chat.copyCode')), [text, t]);
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const button = (event.target as HTMLElement).closest('[data-copy-code]');
    const code = button?.parentElement?.querySelector('code')?.textContent;
    if (button && code !== undefined && code !== null) {
      void navigator.clipboard?.writeText(code).then(() => {
        button.textContent = t('chat.copied');
      });
    }
  };
  // The HTML comes from renderMarkdown, which never passes raw HTML or unsafe links through.
  return <div className="markdown" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
