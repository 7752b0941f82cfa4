import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { chatApi } from '../../api/endpoints';
import { useI18n } from '../../i18n/i18n';
import { Button } from '../../ui/ui';
import { MicButton } from '../speech/mic-button';

/** Two pieces of text with one space between them (either may be empty). */
const joined = (a: string, b: string) => [a.trimEnd(), b.trim()].filter(Boolean).join(' ');

/**
 * The message box. Enter sends, Shift+Enter is a new line (and Enter while an IME composes Chinese
 * does not send), Esc stops the answer. Typing `/` first opens the palette of the skills this person
 * may use: arrows move, Enter or Tab picks, Esc closes. The microphone dictates into it: partial text
 * appears live after what was typed, each final utterance stays for the person to edit and send.
 */
export function Composer({
  streaming,
  onSend,
  onStop,
}: {
  streaming: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const listId = useId();
  /** The text before the utterance being dictated: partials are shown after it, a final joins it. */
  const dictated = useRef<string | null>(null);
  /** The text as it is now, for the dictation callbacks (they outlive the render that made them). */
  const latest = useRef(text);
  latest.current = text;
  const show = (value: string) => {
    latest.current = value;
    setText(value);
  };
  const skills = useQuery({ queryKey: ['skills'], queryFn: chatApi.skills, staleTime: 60_000 });

  const typed = /^\/[a-z0-9-]*$/.exec(text)?.[0] ?? null;
  const matches =
    typed === null || dismissed ? [] : (skills.data?.items ?? []).filter((s) => s.command.startsWith(typed));
  const paletteOpen = typed !== null && !dismissed;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const content = text.trim();
    if (!content || streaming) return;
    onSend(content);
    setText('');
  };

  const pick = (command: string) => {
    setText(`${command} `);
    setDismissed(true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (paletteOpen && matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (i + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const chosen = matches[Math.min(active, matches.length - 1)];
        if (chosen) pick(chosen.command);
        return;
      }
    }
    if (event.key === 'Escape') {
      if (paletteOpen) setDismissed(true);
      else if (streaming) onStop();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const activeId = paletteOpen && matches.length > 0 ? `${listId}-${Math.min(active, matches.length - 1)}` : undefined;
  return (
    <div className="composer">
      {paletteOpen && (
        <ul className="palette" role="listbox" id={listId} aria-label={t('chat.skills')}>
          {matches.length === 0 && <li aria-disabled="true">{t('chat.noSkills')}</li>}
          {matches.map((skill, i) => (
            <li
              key={skill.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === Math.min(active, matches.length - 1)}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(skill.command);
              }}
            >
              <strong>{skill.command}</strong> {skill.name}
              {skill.description && <span className="desc">{skill.description}</span>}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit}>
        <textarea
          aria-label={t('chat.messageLabel')}
          placeholder={t('chat.placeholder')}
          value={text}
          rows={2}
          role="combobox"
          aria-expanded={paletteOpen}
          aria-controls={paletteOpen ? listId : undefined}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            if (!e.target.value.startsWith('/')) setDismissed(false);
          }}
          onKeyDown={onKeyDown}
        />
        {streaming ? (
          <Button variant="danger" onClick={onStop}>
            {t('chat.stop')}
          </Button>
        ) : (
          <Button type="submit" disabled={!text.trim()}>
            {t('chat.send')}
          </Button>
        )}
      </form>
      <MicButton
        onPartial={(partial) => {
          dictated.current ??= latest.current;
          show(joined(dictated.current, partial));
        }}
        onFinal={(final) => {
          const next = joined(dictated.current ?? latest.current, final);
          dictated.current = null;
          show(next);
        }}
      />
    </div>
  );
}
