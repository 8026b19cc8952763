import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', 'back'] as const;

/** The temperature typed so far after one more key: digits, at most one decimal point and one decimal. */
export function typeKey(value: string, key: (typeof keys)[number]): string {
  if (key === 'back') return value.slice(0, -1);
  if (key === '.') return value.includes('.') || value === '' ? value : `${value}.`;
  const [whole = '', decimals] = value.split('.');
  if (decimals !== undefined) return decimals.length >= 1 ? value : value + key;
  return whole.length >= 2 ? value : value + key;
}

/** A phone-sized number pad for the temperature (℃): big keys, one decimal. */
export function NumberPad({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className="gate-pad" role="group" aria-label={t('gate.temperature.label')}>
      {keys.map((key) => (
        <Button
          key={key}
          size="large"
          className="gate-pad-key"
          aria-label={key === 'back' ? t('gate.temperature.backspace') : key}
          onClick={() => onChange(typeKey(value, key))}
        >
          {key === 'back' ? '⌫' : key}
        </Button>
      ))}
    </div>
  );
}
