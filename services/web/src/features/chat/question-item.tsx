import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Button } from '../../ui/ui';
import type { DisplayMessage } from './use-chat';

/** A question as plain text; the last one can be edited and sent again (its answer is then replaced). */
export function QuestionItem({ message, onResend }: { message: DisplayMessage; onResend?: (text: string) => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(message.content);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const content = text.trim();
    if (!content || !onResend) return;
    setEditing(false);
    onResend(content);
  };
  return (
    <article className="message message-user" aria-label={t('chat.you')}>
      <div className="who">{t('chat.you')}</div>
      {editing && onResend ? (
        <form className="edit-question" onSubmit={submit}>
          <label>
            {t('chat.editLabel')}
            <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <div className="actions">
            <Button type="submit" disabled={!text.trim()}>
              {t('chat.saveAndSend')}
            </Button>
            <Button variant="secondary" onClick={() => setEditing(false)}>
              {t('chat.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <div className="body">{message.content}</div>
      )}
      {onResend && !editing && (
        <div className="meta">
          <Button
            variant="ghost"
            onClick={() => {
              setText(message.content);
              setEditing(true);
            }}
          >
            {t('chat.edit')}
          </Button>
        </div>
      )}
    </article>
  );
}
