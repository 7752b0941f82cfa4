import type { ChatStreamEvent, MessageView } from '@parley/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isApiError } from '../../api/api-error';
import { chatApi } from '../../api/endpoints';
import { ChatTransport, type ConnectionState } from './chat-transport';

export interface DisplayMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: string;
  tokens: number;
  costMicros: number;
  estimated: boolean;
  model: string | null;
  error: { code: string; message: string; retryAfterSeconds?: number | null; resetAt?: unknown } | null;
}

export type Announcement = 'started' | 'ended' | 'stopped' | null;

const transport = new ChatTransport();

function fromView(m: MessageView): DisplayMessage {
  return {
    id: m.id,
    role: m.role === 'user' ? 'user' : 'assistant',
    content: m.content,
    status: m.status,
    tokens: m.promptTokens + m.completionTokens,
    costMicros: m.costMicros,
    estimated: m.usageEstimated,
    model: m.model,
    error: m.error,
  };
}

/** One conversation: its stored messages, the answer streaming now, send, stop and regenerate. */
export function useChat(conversationId: string) {
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: ['messages', conversationId], queryFn: () => chatApi.messages(conversationId) });
  const [pending, setPending] = useState<DisplayMessage[]>([]);
  const [streaming, setStreaming] = useState(false);
  const [announcement, setAnnouncement] = useState<Announcement>(null);
  const [connection, setConnection] = useState<ConnectionState>('idle');
  const live = useRef<DisplayMessage | null>(null);

  useEffect(() => transport.onState(setConnection), []);
  // Back after a lost connection: the answer went on (or ended) server-side; show what was stored.
  const wasLost = useRef(false);
  useEffect(() => {
    if (connection === 'lost') wasLost.current = true;
    if (connection === 'live' && wasLost.current) {
      wasLost.current = false;
      setPending([]);
      void queryClient.invalidateQueries({ queryKey: ['messages', conversationId] });
    }
  }, [connection, conversationId, queryClient]);
  useEffect(() => {
    setPending([]);
    setStreaming(false);
  }, [conversationId]);

  const apply = useCallback((event: ChatStreamEvent) => {
    const answer = live.current;
    if (!answer) return;
    switch (event.type) {
      case 'message.started':
        Object.assign(answer, { id: event.messageId, model: event.model, status: 'streaming' });
        setPending((list) => list.map((m) => (m.role === 'user' ? { ...m, id: event.userMessageId } : m)));
        setAnnouncement('started');
        break;
      case 'token':
        answer.content += event.text;
        break;
      case 'message.completed':
        Object.assign(answer, {
          status: event.status,
          tokens: event.usage.promptTokens + event.usage.completionTokens,
          costMicros: event.usage.costMicros,
          estimated: event.usage.estimated,
        });
        setAnnouncement(event.status === 'stopped' ? 'stopped' : 'ended');
        break;
      case 'error':
        Object.assign(answer, { status: 'failed', error: { code: event.code, message: event.message } });
        setAnnouncement('ended');
        break;
    }
    setPending((list) => list.map((m) => (m.role === 'assistant' ? { ...answer } : m)));
  }, []);

  const send = useCallback(
    async (content: string) => {
      const user: DisplayMessage = {
        id: `local-user-${Date.now()}`,
        role: 'user',
        content,
        status: 'complete',
        tokens: 0,
        costMicros: 0,
        estimated: false,
        model: null,
        error: null,
      };
      const answer: DisplayMessage = {
        ...user,
        id: `local-answer-${Date.now()}`,
        role: 'assistant',
        content: '',
        status: 'waiting',
      };
      live.current = answer;
      setPending([user, answer]);
      setStreaming(true);
      try {
        await transport.send(conversationId, content, apply);
      } catch (error) {
        answer.status = 'failed';
        answer.error = isApiError(error)
          ? {
              code: error.code,
              message: error.message,
              retryAfterSeconds: error.retryAfterSeconds,
              resetAt: error.details.resetAt,
            }
          : { code: 'network', message: String(error) };
        setPending([user, { ...answer }]);
      } finally {
        setStreaming(false);
        live.current = null;
        if (answer.status === 'streaming' || answer.status === 'waiting') setAnnouncement('stopped');
        if (!answer.error) {
          await queryClient.invalidateQueries({ queryKey: ['messages', conversationId] });
          await queryClient.invalidateQueries({ queryKey: ['conversations'] });
          setPending([]);
        }
      }
    },
    [apply, conversationId, queryClient],
  );

  const stop = useCallback(() => transport.stop(conversationId), [conversationId]);

  const messages = useMemo(() => {
    const list = [...(stored.data?.items ?? [])].reverse().map(fromView);
    // Once the stored page has them, the local copies go (no moment shows both).
    const storedIds = new Set(list.map((m) => m.id));
    return [...list, ...pending.filter((m) => !storedIds.has(m.id))];
  }, [stored.data, pending]);

  /** The last question, to ask again (a new answer; the API keeps the earlier one). */
  const lastQuestion = [...messages].reverse().find((m) => m.role === 'user')?.content ?? null;

  return {
    messages,
    loading: stored.isLoading,
    error: stored.error,
    streaming,
    send,
    stop,
    announcement,
    connection,
    lastQuestion,
  };
}
