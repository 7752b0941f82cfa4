import { useMutation } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { describeError } from '../../i18n/error-text';
import { useI18n } from '../../i18n/i18n';
import { Alert, Button, Card } from '../../ui/ui';

/** A titled card with a form whose submit runs `action`; errors appear in words from the API code. */
export function AuthForm({
  title,
  submitLabel,
  action,
  children,
  footer,
  done,
}: {
  title: string;
  submitLabel: string;
  action: (data: FormData) => Promise<unknown>;
  children: ReactNode;
  footer?: ReactNode;
  /** Shown instead of the form once the action succeeded (when set). */
  done?: ReactNode;
}) {
  const { t } = useI18n();
  const mutation = useMutation({ mutationFn: action });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate(new FormData(event.currentTarget));
  };
  return (
    <main className="auth-page" id="main">
      <Card title={title}>
        {mutation.isSuccess && done ? (
          <Alert tone="success">{done}</Alert>
        ) : (
          <form onSubmit={onSubmit} noValidate={false}>
            {children}
            {mutation.isError && <Alert>{describeError(t, mutation.error)}</Alert>}
            <Button type="submit" disabled={mutation.isPending}>
              {mutation.isPending ? t('auth.working') : submitLabel}
            </Button>
          </form>
        )}
        {footer && <div className="links">{footer}</div>}
      </Card>
    </main>
  );
}

export const field = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
};
