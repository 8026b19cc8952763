import { Alert, App, AutoComplete, Button, Flex, Form, Input, InputNumber, Modal, Popover, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatShanghai, showFieldErrors } from '../../access/live-parts';
import { DEFAULT_FEVER_C, followUpColor, formatTemperature, useHealthError, useTemperatureRules } from './cases-parts';
import { useRecordCheck, type FollowUp, type FollowUpState, type Quarantine, type RecordedCheck } from './cases-queries';

const STATES = Object.keys(followUpColor) as FollowUpState[];
const dayMs = 86_400_000;

/** Days from `a` to `b` (calendar dates). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / dayMs);
}

interface Day {
  date: string;
  /** Day N of the window (1 = its first day); null outside it (a moved window's dropped days). */
  n: number | null;
  slots: (FollowUp | null)[];
}

/** The schedule as days × slots, in date order; slots the day lacks stay empty. */
function scheduleDays(q: Quarantine): { days: Day[]; slots: number } {
  const slots = Math.max(q.perDay, ...q.followUps.map((f) => f.slot));
  const byDate = new Map<string, (FollowUp | null)[]>();
  for (const f of q.followUps) {
    const row = byDate.get(f.date) ?? Array.from({ length: slots }, () => null);
    row[f.slot - 1] = f;
    byDate.set(f.date, row);
  }
  const days = [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, row]) => ({ date, n: date >= q.window.start && date <= q.window.end ? daysBetween(q.window.start, date) + 1 : null, slots: row }));
  return { days, slots };
}

/** The state of a check as the grid shows it: a moved window's dropped check is "cancelled". */
const stateOf = (f: FollowUp): FollowUpState => (f.cancelled ? 'cancelled' : f.status);

export function StateLegend() {
  const { t } = useTranslation();
  return (
    <Flex gap={10} wrap align="center" className="schedule-legend">
      {STATES.map((s) => (
        <Flex key={s} gap={4} align="center">
          <span className={`check-swatch check-${s}`} aria-hidden />
          <Typography.Text type="secondary">{t(`healthCases.followUpStates.${s}`)}</Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
}

/**
 * The follow-up schedule as a calendar grid (one row a day, one column a check), coloured by state;
 * today's open checks stand out. An open check (due or missed) can be recorded with a click by a
 * holder of health.declare; a done one shows what was recorded.
 */
export function ScheduleGrid({ q, canRecord, onPick }: { q: Quarantine; canRecord: boolean; onPick: (f: FollowUp) => void }) {
  const { t } = useTranslation();
  const { days, slots } = useMemo(() => scheduleDays(q), [q]);
  const recordable = (f: FollowUp) => canRecord && q.status === 'active' && (f.status === 'due' || f.status === 'missed') && !f.cancelled;
  const cellLabel = (f: FollowUp) =>
    `${f.date} ${t('healthCases.quarantine.slot', { slot: f.slot })} ${t(`healthCases.followUpStates.${stateOf(f)}`)}${f.temperatureC !== null ? ` ${formatTemperature(f.temperatureC)}` : ''}`;

  return (
    <div className="schedule-grid" style={{ gridTemplateColumns: `minmax(92px, max-content) repeat(${slots}, minmax(64px, 1fr))` }} role="grid" aria-label={t('healthCases.quarantine.scheduleLabel', { days: days.length, per: q.perDay })}>
      <div className="schedule-head" role="columnheader">
        {t('healthCases.quarantine.day')}
      </div>
      {Array.from({ length: slots }, (_v, i) => (
        <div key={i} className="schedule-head" role="columnheader">
          {t('healthCases.quarantine.slot', { slot: i + 1 })}
        </div>
      ))}
      {days.map((d) => (
        <div key={d.date} className="schedule-row" role="row">
          <div className="schedule-date" role="rowheader">
            <span>{d.date.slice(5)}</span> <span className="schedule-weekday">{dayjs(d.date).format('ddd')}</span>
            {d.n !== null ? <span className="schedule-n">{t('healthCases.quarantine.dayN', { n: d.n })}</span> : null}
          </div>
          {d.slots.map((f, i) => {
            if (!f) return <div key={i} className="check-cell check-none" role="gridcell" />;
            const state = stateOf(f);
            const body = (
              <>
                <span className="check-state">{t(`healthCases.followUpStates.${state}`)}</span>
                {f.temperatureC !== null ? <span className="check-temp">{formatTemperature(f.temperatureC)}</span> : null}
              </>
            );
            if (recordable(f)) {
              return (
                <button key={i} type="button" role="gridcell" className={`check-cell check-${state} check-open`} data-testid="check-cell" data-state={state} data-date={f.date} data-slot={f.slot} aria-label={cellLabel(f)} onClick={() => onPick(f)}>
                  {body}
                </button>
              );
            }
            const cell = (
              <div role="gridcell" className={`check-cell check-${state}`} data-testid="check-cell" data-state={state} data-date={f.date} data-slot={f.slot} aria-label={cellLabel(f)} tabIndex={f.doneAt ? 0 : undefined}>
                {body}
              </div>
            );
            return f.doneAt ? (
              <Popover
                key={i}
                trigger={['click', 'focus']}
                title={`${f.date} ${t('healthCases.quarantine.slot', { slot: f.slot })}`}
                content={
                  <Flex vertical gap={2}>
                    <span>{formatTemperature(f.temperatureC)}</span>
                    {f.condition ? <span>{f.condition}</span> : null}
                    {f.note ? <Typography.Text type="secondary">{f.note}</Typography.Text> : null}
                    <Typography.Text type="secondary">{t('healthCases.quarantine.doneAt', { at: formatShanghai(f.doneAt, 'dateHm'), by: f.doneBy ?? '—' })}</Typography.Text>
                  </Flex>
                }
              >
                {cell}
              </Popover>
            ) : (
              <div key={i} style={{ display: 'contents' }}>
                {cell}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}

interface CheckForm {
  temperatureC?: number | null;
  condition?: string;
  note?: string;
}

const conditionHints = ['conditionNormal', 'conditionCough', 'conditionFatigue', 'conditionUnreachable'] as const;

/** Recording one check (temperature, condition; health.declare): a phone-sized form. */
export function RecordCheckModal({ q, check, threshold = DEFAULT_FEVER_C, onClose }: { q: Quarantine; check: FollowUp | null; threshold?: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useHealthError();
  const [form] = Form.useForm<CheckForm>();
  const record = useRecordCheck(q.id);
  const temperatureRules = useTemperatureRules(true);
  const [failure, setFailure] = useState<string | null>(null);
  const [fever, setFever] = useState<RecordedCheck | null>(null);
  const submit = (v: CheckForm) => {
    if (!check) return;
    setFailure(null);
    record.mutate(
      {
        date: check.date,
        slot: check.slot,
        temperatureC: v.temperatureC ?? 0,
        ...(v.condition?.trim() ? { condition: v.condition.trim() } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      },
      {
        onSuccess: (r) => {
          form.resetFields();
          if (r.fever) setFever(r);
          else {
            void message.success(t('healthCases.quarantine.recorded', { date: r.date, slot: r.slot }));
            onClose();
          }
        },
        onError: (e) => {
          if (!showFieldErrors(form, e, { temperatureC: 'temperatureC', condition: 'condition', note: 'note' })) setFailure(describe(e));
        },
      },
    );
  };
  const close = () => {
    setFever(null);
    setFailure(null);
    onClose();
  };
  return (
    <Modal
      open={check !== null}
      title={check ? t('healthCases.quarantine.recordTitle', { date: check.date, slot: check.slot }) : ''}
      okText={t('healthCases.quarantine.recordOk')}
      cancelText={fever ? t('common.close') : t('common.cancel')}
      onOk={() => (fever ? close() : form.submit())}
      onCancel={close}
      confirmLoading={record.isPending}
      destroyOnHidden
      width={440}
      className="record-check-modal"
    >
      {fever ? (
        <Alert
          type="error"
          showIcon
          title={t('healthCases.quarantine.feverTitle', { temperature: formatTemperature(fever.temperatureC) })}
          description={
            <Flex vertical gap={4}>
              <span>{t('healthCases.quarantine.feverText')}</span>
              {fever.abnormalCaseId ? <Link to={`/health/cases/${fever.abnormalCaseId}`}>{t('healthCases.quarantine.openFeverCase')}</Link> : null}
            </Flex>
          }
        />
      ) : (
        <Form<CheckForm> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Typography.Paragraph type="secondary">{t('healthCases.quarantine.recordFor', { name: q.person.name, code: q.person.code })}</Typography.Paragraph>
          <Form.Item name="temperatureC" label={t('healthCases.common.temperatureC')} rules={temperatureRules} extra={t('healthCases.card.feverAt', { threshold: threshold.toFixed(1) })}>
            <InputNumber min={30} max={45} step={0.1} size="large" style={{ width: '100%' }} inputMode="decimal" placeholder="36.5" />
          </Form.Item>
          <Form.Item name="condition" label={t('healthCases.card.condition')}>
            <AutoComplete options={conditionHints.map((k) => ({ value: t(`healthCases.card.${k}`) }))} maxLength={500} />
          </Form.Item>
          <Form.Item name="note" label={t('healthCases.common.note')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
          {failure ? <Alert type="error" showIcon title={failure} /> : null}
        </Form>
      )}
    </Modal>
  );
}

/** The check to record next: the first one due today, else the earliest missed one. */
export function nextOpenCheck(q: Quarantine): FollowUp | null {
  const open = q.followUps.filter((f) => !f.cancelled && (f.status === 'due' || f.status === 'missed'));
  return open.find((f) => f.status === 'due') ?? open[0] ?? null;
}

export function NextCheckButton({ q, onPick }: { q: Quarantine; onPick: (f: FollowUp) => void }) {
  const { t } = useTranslation();
  const next = nextOpenCheck(q);
  if (!next || q.status !== 'active') return null;
  return (
    <Button type="primary" size="large" onClick={() => onPick(next)} data-testid="record-next">
      {t('healthCases.quarantine.recordNext', { date: next.date, slot: next.slot })}
    </Button>
  );
}
