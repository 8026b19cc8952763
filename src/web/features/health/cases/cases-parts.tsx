import { HomeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Tag, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { useErrorMessage } from '../../../app/errors';
import { hasMessage } from '../../../app/i18n';
import type { healthCasesZh } from '../../../i18n/health-cases';
import {
  useFindQuarantine,
  type CaseReason,
  type CaseStatus,
  type Certainty,
  type ChainClassification,
  type Classification,
  type ExposureType,
  type FollowUpState,
  type Outcome,
  type QuarantinePlace,
  type QuarantineStatus,
} from './cases-queries';

// The server's lists, spelled out here so that the pages do not bundle server code; `satisfies`
// keeps them complete when a value is added there.
export const reasonColor = { FEVER: 'red', HEALTH_RED: 'magenta', SYMPTOMS: 'orange', RISK_TRAVEL: 'gold', CONTACT: 'purple', OTHER: 'default' } satisfies Record<CaseReason, string>;
export const CASE_REASONS = Object.keys(reasonColor) as CaseReason[];
export const classificationColor = { unclassified: 'default', suspected: 'orange', confirmed: 'red', excluded: 'green' } satisfies Record<Classification, string>;
export const CLASSIFICATIONS = Object.keys(classificationColor) as Classification[];
export const caseStatusColor = { open: 'processing', closed: 'default' } satisfies Record<CaseStatus, string>;
export const CASE_STATUSES = Object.keys(caseStatusColor) as CaseStatus[];
export const OUTCOMES = Object.keys({ recovered: 1, excluded: 1, hospitalised: 1, transferred: 1, died: 1, other: 1 } satisfies Record<Outcome, 1>) as Outcome[];
export const EXPOSURE_TYPES = Object.keys({ household: 1, workplace: 1, shift: 1, canteen: 1, gate: 1, transport: 1, other: 1 } satisfies Record<ExposureType, 1>) as ExposureType[];
export const CERTAINTIES = Object.keys({ low: 1, medium: 1, high: 1 } satisfies Record<Certainty, 1>) as Certainty[];
export const followUpColor = { done: '#52c41a', due: '#1677ff', missed: '#ff4d4f', planned: '#d9d9d9', cancelled: '#bfbfbf' } satisfies Record<FollowUpState, string>;
export const quarantineStatusColor = { active: 'processing', released: 'success', lost: 'error', cancelled: 'default' } satisfies Record<QuarantineStatus, string>;
export const QUARANTINE_PLACES = Object.keys({ home: 1, facility: 1 } satisfies Record<QuarantinePlace, 1>) as QuarantinePlace[];
/** The status colours of the health code (绿码 / 黄码 / 红码) as tag colours. */
export const healthColour = { green: 'green', yellow: 'gold', red: 'red' } as const;
/** The chain's nodes: the status as the fill, the classification as the shape. */
export const chainSymbol = { confirmed: 'diamond', suspected: 'triangle', contact: 'circle', unclassified: 'roundRect', excluded: 'rect' } satisfies Record<ChainClassification, string>;

/** The default fever threshold (an incident may set another; the server decides). */
export const DEFAULT_FEVER_C = 37.3;

/** One of `values`, or undefined (an address parameter read back). */
export function oneOf<T extends string>(values: readonly T[], v: string | null | undefined): T | undefined {
  return values.find((x) => x === v);
}

/**
 * A setter for several parameters of the address at once (a date range's two ends): one history
 * entry, the others kept; an empty value removes its parameter, and `page` goes back to the first.
 */
export function useSetSearchParams(): (values: Record<string, string | null | undefined>) => void {
  const [, setSearchParams] = useSearchParams();
  return useCallback(
    (values) =>
      setSearchParams(
        (params) => {
          const next = new URLSearchParams(params);
          next.delete('page');
          for (const [k, v] of Object.entries(values)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace: true },
      ),
    [setSearchParams],
  );
}

/** A temperature as the thermometer shows it: one decimal. */
export function formatTemperature(t: number | null | undefined): string {
  return t === null || t === undefined ? '—' : `${t.toFixed(1)} °C`;
}

/** A temperature, in red and bold from the fever threshold on. */
export function Temperature({ value, threshold = DEFAULT_FEVER_C }: { value: number | null | undefined; threshold?: number }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  const fever = value >= threshold;
  return (
    <Typography.Text type={fever ? 'danger' : undefined} strong={fever}>
      {formatTemperature(value)}
    </Typography.Text>
  );
}

/** Form rules of a temperature: 30–45 °C with at most one decimal (the server refuses more; nothing is rounded silently). */
export function useTemperatureRules(required: boolean): Rule[] {
  const { t } = useTranslation();
  return [
    ...(required ? [{ required: true, message: t('healthCases.common.temperatureRequired') }] : []),
    {
      validator: (_r, v: number | null | undefined) =>
        v === null || v === undefined || (v >= 30 && v <= 45 && Math.abs(v * 10 - Math.round(v * 10)) < 1e-9) ? Promise.resolve() : Promise.reject(new Error(t('healthCases.common.temperatureFormat'))),
    },
  ];
}

export function ReasonTag({ reason }: { reason: CaseReason }) {
  const { t } = useTranslation();
  return <Tag color={reasonColor[reason]}>{t(`healthCases.reasons.${reason}`)}</Tag>;
}

export function ClassificationTag({ value }: { value: Classification }) {
  const { t } = useTranslation();
  return <Tag color={classificationColor[value]}>{t(`healthCases.classifications.${value}`)}</Tag>;
}

export function CaseStatusTag({ value }: { value: CaseStatus }) {
  const { t } = useTranslation();
  return <Tag color={caseStatusColor[value]}>{t(`healthCases.caseStatuses.${value}`)}</Tag>;
}

export function QuarantineStatusTag({ value }: { value: QuarantineStatus }) {
  const { t } = useTranslation();
  return <Tag color={quarantineStatusColor[value]}>{t(`healthCases.quarantineStatuses.${value}`)}</Tag>;
}

export function HealthColourTag({ colour }: { colour: keyof typeof healthColour }) {
  const { t } = useTranslation();
  return <Tag color={healthColour[colour]}>{t(`healthCases.colours.${colour}`)}</Tag>;
}

/** A person as the server sends them: the masked name with the code beside it. */
export function PersonName({ person }: { person: { code: string; name: string } }) {
  return (
    <span>
      <Typography.Text strong>{person.name}</Typography.Text> <Typography.Text type="secondary">{person.code}</Typography.Text>
    </span>
  );
}

function isHealthErrorCode(code: string): code is keyof typeof healthCasesZh.errors {
  return hasMessage(`healthCases.errors.${code}`);
}

/** A sentence about an error: the health pages' own words for their codes, else the app's. */
export function useHealthError(): (error: unknown) => string {
  const { t } = useTranslation();
  const describe = useErrorMessage();
  return (error) => (error instanceof ApiError && isHealthErrorCode(error.code) ? t(`healthCases.errors.${error.code}`) : describe(error));
}

/** Emergency mode is off: the pages still show what earlier incidents left, and say how to start one. */
export function NoIncidentNote() {
  const { t } = useTranslation();
  return <Alert type="info" showIcon title={t('healthCases.common.noIncident')} description={t('healthCases.common.noIncidentHint')} className="no-print" />;
}

/** A button that opens a person's quarantine (found by their code), or says there is none. */
export function QuarantineLink({ code, label }: { code: string; label?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const describe = useHealthError();
  const find = useFindQuarantine();
  const [busy, setBusy] = useState(false);
  const open = () => {
    setBusy(true);
    find(code).then(
      (q) => {
        setBusy(false);
        if (q) void navigate(`/health/quarantines/${q.id}`);
        else void message.info(t('healthCases.common.noQuarantine'));
      },
      (e: unknown) => {
        setBusy(false);
        void message.error(describe(e));
      },
    );
  };
  return (
    <Button size="small" type="link" icon={<HomeOutlined aria-hidden />} loading={busy} onClick={open} className="no-print">
      {label ?? t('healthCases.common.openQuarantine')}
    </Button>
  );
}
