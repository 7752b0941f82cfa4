import { useEffect, useRef } from 'react';
import { useParams } from 'react-router';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/ui';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { MessageItem } from './message-item';
import { useChat, type Announcement } from './use-chat';

const ANNOUNCE = { started: 'chat.answerStarted', ended: 'chat.answerEnded', stopped: 'chat.answerStopped' } as const;

function Thread({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const chat = useChat(conversationId);
  const end = useRef<HTMLDivElement>(null);
  const last = chat.messages.at(-1);
  useEffect(() => {
    // Braces: newer browsers return a promise from scrollIntoView, which must not become the cleanup.
    void end.current?.scrollIntoView({ block: 'end' });
  }, [chat.messages.length, last?.content]);
  const lastAnswerIndex = chat.messages.findLastIndex((m) => m.role === 'assistant');
  const question = chat.lastQuestion;

  return (
    <section className="thread" aria-label={t('chat.conversations')}>
      <div className="messages">
        {chat.connection === 'lost' && <Alert tone="info">{t('chat.connectionLost')}</Alert>}
        {chat.connection === 'http' && <Alert tone="info">{t('chat.sseFallback')}</Alert>}
        {chat.error && <Alert>{describeError(t, chat.error)}</Alert>}
        {!chat.loading && !chat.error && chat.messages.length === 0 && <p className="hint">{t('chat.emptyThread')}</p>}
        {chat.messages.map((message, i) => (
          <MessageItem
            key={message.id}
            message={message}
            onRegenerate={
              i === lastAnswerIndex && !chat.streaming && question ? () => void chat.send(question) : undefined
            }
          />
        ))}
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

export default function ChatPage() {
  const { t } = useI18n();
  const { conversationId } = useParams();
  return (
    <main className="chat" id="main">
      <ConversationList currentId={conversationId} />
      {conversationId ? (
        <Thread key={conversationId} conversationId={conversationId} />
      ) : (
        <section className="thread">
          <div className="messages">
            <p className="hint">{t('chat.pick')}</p>
          </div>
        </section>
      )}
    </main>
  );
}
