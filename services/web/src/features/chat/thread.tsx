import { useEffect, useRef } from 'react';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';
import { AnswerItem } from './answer-item';
import { Composer } from './composer';
import { QuestionItem } from './question-item';
import { useChat, type Announcement } from './use-chat';

const ANNOUNCE = { started: 'chat.answerStarted', ended: 'chat.answerEnded', stopped: 'chat.answerStopped' } as const;

/** One conversation: its messages, the answer streaming now, and the message box. */
export function Thread({ conversationId, model }: { conversationId: string; model: string | undefined }) {
  const { t } = useI18n();
  const chat = useChat(conversationId, model);
  const end = useRef<HTMLDivElement>(null);
  const last = chat.messages.at(-1);
  useEffect(() => {
    // Braces: newer browsers return a promise from scrollIntoView, which must not become the cleanup.
    void end.current?.scrollIntoView({ block: 'end' });
  }, [chat.messages.length, last?.content]);
  const lastAnswerIndex = chat.messages.findLastIndex((m) => m.role === 'assistant');
  const idle = !chat.streaming;

  return (
    <section className="thread" aria-label={t('chat.conversations')}>
      <div className="messages">
        {chat.connection === 'lost' && <Alert tone="info">{t('chat.connectionLost')}</Alert>}
        {chat.following && <Alert tone="info">{t('chat.resuming')}</Alert>}
        {chat.connection === 'http' && <Alert tone="info">{t('chat.sseFallback')}</Alert>}
        {chat.error && <Alert>{describeError(t, chat.error)}</Alert>}
        {!chat.loading && !chat.error && chat.messages.length === 0 && <p className="hint">{t('chat.emptyThread')}</p>}
        {chat.messages.map((message, i) =>
          message.role === 'user' ? (
            <QuestionItem
              key={message.id}
              message={message}
              onResend={idle && message.id === chat.lastQuestionId ? (text) => void chat.resend(text) : undefined}
            />
          ) : (
            <AnswerItem
              key={message.id}
              message={message}
              onRegenerate={
                i === lastAnswerIndex && idle && chat.lastQuestionId ? () => void chat.regenerate() : undefined
              }
            />
          ),
        )}
        <div ref={end} />
      </div>
      <LiveRegion announcement={chat.announcement} />
      <Composer streaming={chat.streaming} onSend={(text) => void chat.send(text)} onStop={() => void chat.stop()} />
    </section>
  );
}

/** Announces that an answer started and ended: never each token. */
function LiveRegion({ announcement }: { announcement: Announcement }) {
  const { t } = useI18n();
  return (
    <div className="visually-hidden" role="status" aria-live="polite">
      {announcement ? t(ANNOUNCE[announcement]) : ''}
    </div>
  );
}
