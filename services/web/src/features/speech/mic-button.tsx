import { useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { Button } from '../../ui/ui';
import { SpeechSession, type SpeechMode } from './speech-session';

/** Known dictation error codes with their own message; others get the generic one. */
const ERROR_KEYS: Record<string, MessageKey> = {
  permission_denied: 'stt.permissionDenied',
  no_device: 'stt.noDevice',
  unsupported: 'stt.unsupported',
  quota_exceeded: 'stt.quotaExceeded',
  stt_busy: 'stt.busy',
  insufficient_scope: 'stt.notAllowed',
  audio_too_long: 'stt.tooLong',
  stt_upstream_unavailable: 'stt.upstreamFailed',
  stt_upstream_auth_failed: 'stt.upstreamFailed',
  egress_denied: 'stt.upstreamFailed',
};

/**
 * Dictation for the message box: hold the microphone button to talk (push-to-talk), or switch on
 * hands-free mode, where pauses end each utterance. Live partial text goes to `onPartial`, each
 * final utterance to `onFinal` (the person edits, then sends); a level meter shows the microphone
 * is hearing them; a denied permission or a missing microphone is said plainly.
 */
export function MicButton({
  onPartial,
  onFinal,
}: {
  onPartial: (text: string) => void;
  onFinal: (text: string) => void;
}) {
  const { t } = useI18n();
  const [mode, setMode] = useState<SpeechMode | null>(null);
  const [level, setLevel] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const session = useRef<SpeechSession | null>(null);

  useEffect(() => () => session.current?.abort(), []);

  const start = (next: SpeechMode) => {
    if (session.current) return;
    setError(null);
    setMode(next);
    const pending = SpeechSession.start(next, {
      onPartial,
      onFinal,
      onLevel: setLevel,
      onError: (code) => setError(t(ERROR_KEYS[code] ?? 'stt.failed')),
      onEnded: () => {
        session.current = null;
        setMode(null);
        setLevel(0);
      },
    });
    void pending.then((s) => {
      session.current = s;
    });
  };

  const stop = () => {
    session.current?.stop();
  };

  return (
    <div className="mic">
      <Button
        variant="secondary"
        aria-pressed={mode === 'push-to-talk'}
        onPointerDown={() => start('push-to-talk')}
        onPointerUp={stop}
        onPointerLeave={() => mode === 'push-to-talk' && stop()}
        onKeyDown={(e) => e.key === ' ' && !e.repeat && start('push-to-talk')}
        onKeyUp={(e) => e.key === ' ' && stop()}
        disabled={mode === 'hands-free'}
      >
        {t('stt.holdToTalk')}
      </Button>
      <Button
        variant="ghost"
        aria-pressed={mode === 'hands-free'}
        onClick={() => (mode === 'hands-free' ? stop() : start('hands-free'))}
        disabled={mode === 'push-to-talk'}
      >
        {mode === 'hands-free' ? t('stt.stopDictation') : t('stt.handsFree')}
      </Button>
      {mode && <meter className="mic-level" aria-label={t('stt.level')} min={0} max={1} value={level} />}
      {error && (
        <p className="mic-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
