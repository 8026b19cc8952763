import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GateOutcome } from './gate-controller';

/** The answer stays this many seconds, then the gate is ready for the next person. */
export const resultSeconds = 6;

/**
 * The answer, full screen: a huge green ALLOW (准许通行) or red DENY (禁止通行) with the reason in
 * plain words and the masked name; a tap or a few seconds bring the next person.
 */
export function GateResult({ outcome, onDone }: { outcome: GateOutcome; onDone: () => void }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState(resultSeconds);
  useEffect(() => {
    const timer = window.setInterval(() => setLeft((s) => s - 1), 1000);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0) onDone();
  }, [left, onDone]);

  const allowed = outcome.decision === 'allow';
  return (
    <div
      className={`gate-result ${allowed ? 'gate-result-allow' : 'gate-result-deny'}`}
      role="alert"
      data-testid="gate-result"
      data-decision={outcome.decision}
      data-offline={outcome.offline ? 'true' : 'false'}
      onClick={onDone}
    >
      <div className="gate-result-icon" aria-hidden>
        {allowed ? <CheckCircleFilled /> : <CloseCircleFilled />}
      </div>
      <div className="gate-result-word">{allowed ? t('gate.result.allow') : t('gate.result.deny')}</div>
      {allowed ? null : <div className="gate-result-message">{outcome.message}</div>}
      {outcome.person ? (
        <div className="gate-result-person">
          {outcome.person.name} · {t(`gate.categories.${outcome.person.category}`)}
        </div>
      ) : null}
      {outcome.offline ? <div className="gate-result-tag">{t('gate.result.offline')}</div> : null}
      {outcome.duplicate ? <div className="gate-result-tag">{t('gate.result.duplicate')}</div> : null}
      <div className="gate-result-next">{t('gate.result.next', { seconds: Math.max(left, 0) })}</div>
    </div>
  );
}
