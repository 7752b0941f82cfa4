import type { ChatStreamEvent, FeedbackRating, MessageView, Page } from '@parley/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isApiError } from '../../api/api-error';
import { chatApi } from '../../api/endpoints';
import { ChatTransport, type ChatRequest, type ConnectionState } from './chat-transport';

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
  feedback: { rating: FeedbackRating; comment: string | null } | null;
  /** Shown while it streams, before the API has stored it (no feedback yet). */
  local: boolean;
}

export type Announcement = 'started' | 'ended' | 'stopped' | null;

const transport = new ChatTransport();
/** While an answer is stored as streaming (another tab, or a lost connection), the list is reloaded this often. */
const STREAMING_POLL_MS = 1000;

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
    feedback: m.feedback ?? null,
    local: false,
  };
}

const isStreaming = (page: Page<MessageView> | undefined) => page?.items[0]?.status === 'streaming';

function localMessage(role: 'user' | 'assistant', content: string): DisplayMessage {
  return {
    id: `local-${role}-${crypto.randomUUID()}`,
    role,
    content,
    status: role === 'user' ? 'complete' : 'waiting',
    tokens: 0,
    costMicros: 0,
    estimated: false,
    model: null,
    error: null,
    feedback: null,
    local: true,
  };
}

/**
 * One conversation: its stored messages, the answer streaming now, send, stop, regenerate (the last
 * answer replaced) and edit-and-resend (the last question and its answer replaced).
 */
export function useChat(conversationId: string, model: string | undefined) {
  const queryClient = useQueryClient();
  const stored = useQuery({
    queryKey: ['messages', conversationId],
    queryFn: () => chatApi.messages(conversationId),
    // An answer stored as still streaming (generated elsewhere, or cut off from us): follow it until it ends.
    refetchInterval: (query) => (isStreaming(query.state.data) ? STREAMING_POLL_MS : false),
  });
  const [pending, setPending] = useState<DisplayMessage[]>([]);
  const [replaced, setReplaced] = useState<ReadonlySet<string>>(new Set());
  const [streaming, setStreaming] = useState(false);
  const [announcement, setAnnouncement] = useState<Announcement>(null);
  const [connection, setConnection] = useState<ConnectionState>('idle');
  const live = useRef<DisplayMessage | null>(null);

  useEffect(() => transport.onState(setConnection), []);
  // Back after a lost connection: the answer went on (or ended) server-side; show what is stored,
  // and keep reloading while it is still being generated.
  const wasLost = useRef(false);
  useEffect(() => {
    if (connection === 'lost') wasLost.current = true;
    if (connection === 'live' && wasLost.current) {
      wasLost.current = false;
      setPending([]);
      setReplaced(new Set());
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

  const run = useCallback(
    async (request: ChatRequest, shown: DisplayMessage[], hidden: string[]) => {
      const answer = localMessage('assistant', '');
      live.current = answer;
      setReplaced(new Set(hidden));
      setPending([...shown, answer]);
      setStreaming(true);
      try {
        await transport.send(request, apply);
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
        // Refused before it started: nothing was replaced.
        setReplaced(new Set());
        setPending([...shown, { ...answer }]);
      } finally {
        setStreaming(false);
        live.current = null;
        if (answer.status === 'streaming' || answer.status === 'waiting') setAnnouncement('stopped');
        if (!answer.error) {
          await queryClient.invalidateQueries({ queryKey: ['messages', conversationId] });
          await queryClient.invalidateQueries({ queryKey: ['conversations'] });
          setPending([]);
          setReplaced(new Set());
        }
      }
    },
    [apply, conversationId, queryClient],
  );

  const storedMessages = useMemo(() => [...(stored.data?.items ?? [])].reverse().map(fromView), [stored.data]);
  const lastQuestion = storedMessages.findLast((m) => m.role === 'user') ?? null;
  const lastAnswer = storedMessages.at(-1)?.role === 'assistant' ? storedMessages.at(-1) : undefined;

  const send = useCallback(
    (content: string) => run({ kind: 'send', conversationId, content, model }, [localMessage('user', content)], []),
    [conversationId, model, run],
  );
  const regenerate = useCallback(() => {
    const question = lastQuestion;
    if (!question) return Promise.resolve();
    return run({ kind: 'regenerate', conversationId, model }, [], lastAnswer ? [lastAnswer.id] : []);
  }, [conversationId, lastAnswer, lastQuestion, model, run]);
  const resend = useCallback(
    (content: string) => {
      const hidden = [lastQuestion?.id, lastAnswer?.id].filter((id): id is string => id !== undefined);
      return run({ kind: 'resend', conversationId, content, model }, [localMessage('user', content)], hidden);
    },
    [conversationId, lastAnswer, lastQuestion, model, run],
  );
  const stop = useCallback(() => transport.stop(conversationId), [conversationId]);

  const messages = useMemo(() => {
    const list = storedMessages.filter((m) => !replaced.has(m.id));
    // Once the stored page has them, the local copies go (no moment shows both).
    const storedIds = new Set(list.map((m) => m.id));
    return [...list, ...pending.filter((m) => !storedIds.has(m.id))];
  }, [storedMessages, replaced, pending]);

  return {
    messages,
    loading: stored.isLoading,
    error: stored.error,
    streaming: streaming || isStreaming(stored.data),
    /** An answer stored as still streaming that this page is not receiving: followed by reloading. */
    following: !streaming && isStreaming(stored.data),
    send,
    regenerate,
    resend,
    stop,
    announcement,
    connection,
    lastQuestionId: lastQuestion?.id ?? null,
  };
}
