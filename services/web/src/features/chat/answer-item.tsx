import { useState } from 'react';
import { errorText } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import { FeedbackBar } from './feedback-bar';
import { MarkdownView } from './markdown-view';
import type { DisplayMessage } from './use-chat';

const cost = (micros: number) => `$${(micros / 1_000_000).toFixed(micros > 0 && micros < 10_000 ? 6 : 4)}`;

/** An answer as markdown with its usage and cost, copy, regenerate (the last one) and feedback. */
export function AnswerItem({ message, onRegenerate }: { message: DisplayMessage; onRegenerate?: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const done = message.status !== 'streaming' && message.status !== 'waiting';
  return (
    <article className="message message-assistant" aria-label={t('chat.assistant')} aria-busy={!done}>
      <div className="who">{t('chat.assistant')}</div>
      <MarkdownView text={message.content} />
      {message.error && (
        <Alert>
          {message.error.code === 'connection_lost'
            ? t('chat.connectionLost')
            : errorText(t, message.error.code, message.error)}
        </Alert>
      )}
      {done && (
        <div className="meta">
          {message.status === 'stopped' && <span>{t('chat.stopped')}</span>}
          {message.tokens > 0 && (
            <span>
              {t(message.estimated ? 'chat.usageEstimated' : 'chat.usage', {
                tokens: message.tokens,
                cost: cost(message.costMicros),
              })}
            </span>
          )}
          {message.model && <span>{t('chat.model', { model: message.model })}</span>}
          {message.content && (
            <Button
              variant="ghost"
              onClick={() => void navigator.clipboard?.writeText(message.content).then(() => setCopied(true))}
            >
              {copied ? t('chat.copied') : t('chat.copy')}
            </Button>
          )}
          {onRegenerate && (
            <Button variant="ghost" onClick={onRegenerate}>
              {t('chat.regenerate')}
            </Button>
          )}
          {!message.local && message.status !== 'failed' && <FeedbackBar message={message} />}
        </div>
      )}
    </article>
  );
}
