import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateConversationBody } from '@parley/contracts';
import { useNavigate } from 'react-router';
import { chatApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import { ConversationRow } from './conversation-row';

/** The person's conversations, pinned first then newest, paged with "more"; new, search, rename, pin, delete. */
export function ConversationList({ currentId, onSearch }: { currentId: string | undefined; onSearch: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['conversations'],
    queryFn: ({ pageParam }) => chatApi.conversations(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const create = useMutation({
    mutationFn: () => chatApi.createConversation(),
    onSuccess: async (conversation) => {
      await queryClient.invalidateQueries({ queryKey: ['conversations'] });
      await navigate(`/c/${conversation.id}`);
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => chatApi.deleteConversation(id),
    onSuccess: async (_void, id) => {
      await queryClient.invalidateQueries({ queryKey: ['conversations'] });
      if (id === currentId) await navigate('/');
    },
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateConversationBody }) => chatApi.updateConversation(id, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['conversations'] }),
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <nav className="sidebar" aria-label={t('chat.conversations')}>
      <Button onClick={() => create.mutate()} disabled={create.isPending}>
        {t('chat.newChat')}
      </Button>
      <Button variant="secondary" onClick={onSearch} aria-keyshortcuts="Control+K Meta+K">
        {t('search.open')}
      </Button>
      {create.isError && <Alert>{describeError(t, create.error)}</Alert>}
      {update.isError && <Alert>{describeError(t, update.error)}</Alert>}
      {remove.isError && <Alert>{describeError(t, remove.error)}</Alert>}
      <h2>{t('chat.conversations')}</h2>
      {list.isError && <Alert>{describeError(t, list.error)}</Alert>}
      {list.isSuccess && items.length === 0 && <p className="hint">{t('chat.empty')}</p>}
      <ul className="conv-list">
        {items.map((c) => (
          <ConversationRow
            key={c.id}
            conversation={c}
            busy={update.isPending || remove.isPending}
            onRename={(title) => update.mutate({ id: c.id, body: { title } })}
            onPin={(pinned) => update.mutate({ id: c.id, body: { pinned } })}
            onDelete={() => remove.mutate(c.id)}
          />
        ))}
      </ul>
      {list.hasNextPage && (
        <Button variant="secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('chat.more')}
        </Button>
      )}
    </nav>
  );
}
