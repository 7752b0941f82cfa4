import { CONVERSATION_SEARCH_MAX_CHARS } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { chatApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import { Snippet } from './snippet';

const DEBOUNCE_MS = 200;

/** Ctrl+K (Cmd+K on a Mac) anywhere in chat opens the search. */
export function useSearchShortcut(open: () => void) {
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
}

/**
 * Search over the person's own conversations and messages (`GET /api/v1/conversations?q=`), best
 * match first with a highlighted snippet; arrows move, Enter opens, Esc closes.
 */
export function SearchDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  const listId = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  useEffect(() => {
    const node = dialog.current;
    if (!node) return;
    if (open && !node.open) node.showModal();
    if (!open && node.open) node.close();
  }, [open]);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const results = useQuery({
    queryKey: ['search', query],
    queryFn: ({ signal }) => chatApi.searchConversations(query, signal),
    enabled: open && query.length > 0,
  });
  const items = query ? (results.data?.items ?? []) : [];
  const current = Math.min(active, Math.max(items.length - 1, 0));

  const go = (id: string) => {
    onClose();
    void navigate(`/c/${id}`);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // A search field would only clear itself on Esc: Esc closes the search.
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
      return;
    }
    if (items.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + items.length) % items.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = items[current];
      if (chosen) go(chosen.id);
    }
  };

  return (
    <dialog ref={dialog} className="search-dialog" aria-label={t('search.title')} onClose={onClose}>
      <div className="search-head">
        <input
          type="search"
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          maxLength={CONVERSATION_SEARCH_MAX_CHARS}
          value={text}
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={items.length > 0 ? `${listId}-${current}` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <Button variant="secondary" onClick={onClose}>
          {t('search.close')}
        </Button>
      </div>
      {results.isError && <Alert>{describeError(t, results.error)}</Alert>}
      {query && results.isSuccess && items.length === 0 && <p className="hint">{t('search.none')}</p>}
      <ul className="search-results" role="listbox" id={listId} aria-label={t('search.results')}>
        {items.map((c, i) => (
          <li key={c.id} id={`${listId}-${i}`} role="option" aria-selected={i === current} onClick={() => go(c.id)}>
            <strong>
              {c.match?.messageId === null ? <Snippet segments={c.match.snippet} /> : c.title || t('chat.untitled')}
            </strong>
            {c.match && c.match.messageId !== null && <Snippet segments={c.match.snippet} />}
          </li>
        ))}
      </ul>
      <p className="hint">{t('search.hint')}</p>
    </dialog>
  );
}
