import { FEEDBACK_COMMENT_MAX_CHARS, type FeedbackRating } from '@parley/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { chatApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import type { DisplayMessage } from './use-chat';

/**
 * Thumbs up or down on a stored answer, then an optional comment (`POST /api/v1/messages/{id}/feedback`;
 * a second rating replaces the first).
 */
export function FeedbackBar({ message }: { message: DisplayMessage }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [rating, setRating] = useState<FeedbackRating | null>(message.feedback?.rating ?? null);
  const [comment, setComment] = useState(message.feedback?.comment ?? '');
  const [asking, setAsking] = useState(false);
  const [thanked, setThanked] = useState(false);
  const give = useMutation({
    mutationFn: (body: { rating: FeedbackRating; comment: string | null }) =>
      chatApi.feedback(message.id, body.rating, body.comment),
    onSuccess: (saved) => {
      setRating(saved.rating);
      void queryClient.invalidateQueries({ queryKey: ['messages'] });
    },
  });

  const rate = (next: FeedbackRating) => {
    setThanked(false);
    setAsking(true);
    give.mutate({ rating: next, comment: comment.trim() || null });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!rating) return;
    give.mutate(
      { rating, comment: comment.trim() || null },
      {
        onSuccess: () => {
          setAsking(false);
          setThanked(true);
        },
      },
    );
  };

  return (
    <div className="feedback">
      <Button variant="ghost" aria-pressed={rating === 'up'} onClick={() => rate('up')} disabled={give.isPending}>
        <span aria-hidden="true">👍</span>
        <span className="visually-hidden">{t('chat.goodAnswer')}</span>
      </Button>
      <Button variant="ghost" aria-pressed={rating === 'down'} onClick={() => rate('down')} disabled={give.isPending}>
        <span aria-hidden="true">👎</span>
        <span className="visually-hidden">{t('chat.badAnswer')}</span>
      </Button>
      {asking && rating && (
        <form className="feedback-comment" onSubmit={submit}>
          <label>
            {t('chat.feedbackComment')}
            <textarea
              rows={2}
              maxLength={FEEDBACK_COMMENT_MAX_CHARS}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
          <Button type="submit" variant="secondary" disabled={give.isPending}>
            {t('chat.sendFeedback')}
          </Button>
        </form>
      )}
      {thanked && <span role="status">{t('chat.feedbackThanks')}</span>}
      {give.isError && <Alert>{describeError(t, give.error)}</Alert>}
    </div>
  );
}
