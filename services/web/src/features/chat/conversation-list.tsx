import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { NavLink, useNavigate } from 'react-router';
import { chatApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';

/** The person's conversations, newest first, paged with "more"; new and delete. */
export function ConversationList({ currentId }: { currentId: string | undefined }) {
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
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <nav className="sidebar" aria-label={t('chat.conversations')}>
      <Button onClick={() => create.mutate()} disabled={create.isPending}>
        {t('chat.newChat')}
      </Button>
      {create.isError && <Alert>{describeError(t, create.error)}</Alert>}
      {remove.isError && <Alert>{describeError(t, remove.error)}</Alert>}
      <h2>{t('chat.conversations')}</h2>
      {list.isError && <Alert>{describeError(t, list.error)}</Alert>}
      {list.isSuccess && items.length === 0 && <p className="hint">{t('chat.empty')}</p>}
      <ul className="conv-list">
        {items.map((c) => {
          const title = c.title || t('chat.untitled');
          return (
            <li key={c.id}>
              <NavLink to={`/c/${c.id}`}>{title}</NavLink>
              <Button
                variant="ghost"
                aria-label={t('chat.deleteConversation', { title })}
                onClick={() => window.confirm(t('chat.confirmDelete')) && remove.mutate(c.id)}
              >
                ×
              </Button>
            </li>
          );
        })}
      </ul>
      {list.hasNextPage && (
        <Button variant="secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('chat.more')}
        </Button>
      )}
    </nav>
  );
}
