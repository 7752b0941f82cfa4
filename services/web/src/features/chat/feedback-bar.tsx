import { FEEDBACK_COMMENT_MAX_CHARS, type FeedbackRating } from '@parley/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { chatApi } from '../../api/endpoints';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button } from '../../ui/ui';
import type { DisplayMessage } from './use-chat';

/** A thumb drawn in SVG (no emoji font needed); pointing down for a bad answer. */
function ThumbIcon({ down = false }: { down?: boolean }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" transform={down ? 'rotate(180)' : undefined}>
      <path d="M7 10v11H3V10h4zm0 0 4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.1 21H7" />
    </svg>
  );
}

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
        <ThumbIcon />
        <span className="visually-hidden">{t('chat.goodAnswer')}</span>
      </Button>
      <Button variant="ghost" aria-pressed={rating === 'down'} onClick={() => rate('down')} disabled={give.isPending}>
        <ThumbIcon down />
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
