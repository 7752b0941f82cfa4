import type { ConversationView } from '@parley/contracts';
import { useState, type FormEvent } from 'react';
import { NavLink } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { Button } from '../../ui/ui';

/** One conversation in the list: open it, rename it in place, pin or unpin it, delete it. */
export function ConversationRow({
  conversation,
  busy,
  onRename,
  onPin,
  onDelete,
}: {
  conversation: ConversationView;
  busy: boolean;
  onRename: (title: string) => void;
  onPin: (pinned: boolean) => void;
  onDelete: () => void;
}) {
  const { t } = useI18n();
  const title = conversation.title || t('chat.untitled');
  const [renaming, setRenaming] = useState(false);
  const [text, setText] = useState(title);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = text.trim();
    if (next && next !== conversation.title) onRename(next);
    setRenaming(false);
  };

  if (renaming) {
    return (
      <li>
        <form className="rename" onSubmit={submit}>
          <input
            aria-label={t('chat.newTitle')}
            value={text}
            maxLength={200}
            autoFocus
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setRenaming(false)}
          />
          <Button type="submit" variant="secondary" disabled={!text.trim()}>
            {t('chat.saveTitle')}
          </Button>
        </form>
      </li>
    );
  }
  return (
    <li className={conversation.pinned ? 'pinned' : undefined}>
      <NavLink to={`/c/${conversation.id}`}>
        {conversation.pinned && <span className="visually-hidden">{t('chat.pinnedMark')} </span>}
        {title}
      </NavLink>
      <Button
        variant="ghost"
        aria-label={t(conversation.pinned ? 'chat.unpinConversation' : 'chat.pinConversation', { title })}
        aria-pressed={conversation.pinned}
        disabled={busy}
        onClick={() => onPin(!conversation.pinned)}
      >
        <span aria-hidden="true">{conversation.pinned ? '★' : '☆'}</span>
      </Button>
      <Button
        variant="ghost"
        aria-label={t('chat.renameConversation', { title })}
        disabled={busy}
        onClick={() => {
          setText(title);
          setRenaming(true);
        }}
      >
        <span aria-hidden="true">✎</span>
      </Button>
      <Button
        variant="ghost"
        aria-label={t('chat.deleteConversation', { title })}
        disabled={busy}
        onClick={() => window.confirm(t('chat.confirmDelete')) && onDelete()}
      >
        ×
      </Button>
    </li>
  );
}
