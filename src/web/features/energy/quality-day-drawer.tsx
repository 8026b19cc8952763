import { Alert, Button, Descriptions, Drawer, Flex, Form, Input, List, Tag, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../app/errors';
import { usePermission } from '../../app/session';
import { formatQuantity, qualityColor } from './parts';
import { useConfirmDay, type QualityDay } from './queries';

const shanghaiTime = (ms: unknown) => (typeof ms === 'number' ? new Date(ms + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ') : '');

/** One finding in words: its rule and the facts that matter. */
function FindingText({ code, facts }: { code: string; facts: Record<string, unknown> }) {
  const { t } = useTranslation();
  const span = facts.start !== undefined ? `${shanghaiTime(facts.start)} – ${shanghaiTime(facts.end)}` : '';
  const detail =
    code === 'EQ_COMPLETENESS'
      ? t('energy.quality.completeness', { received: facts.received, expected: facts.expected })
      : code === 'EQ_STUCK' || code === 'EQ_GAP'
        ? t('energy.quality.intervals', { count: Number(facts.intervals ?? 0), span })
        : span;
  return (
    <span>
      <Tag color={code === 'EQ_STUCK' || code === 'EQ_NEGATIVE' || code === 'EQ_SPIKE' || code === 'EQ_COMPLETENESS' ? 'error' : 'warning'}>{t(`energy.findings.${code}`, { defaultValue: code })}</Tag>
      {typeof facts.meter === 'string' ? `${facts.meter} ` : ''}
      {detail}
    </span>
  );
}

/** A meter's day, picked in the heat map or the list. */
export interface Cell {
  meter: string;
  day: QualityDay;
}

/** A day of a meter: its score, findings and, when suspect, the confirmation (quality-page.tsx loads it when first opened). */
export function DayDrawer({ cell, onClose }: { cell: Cell | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const can = usePermission();
  const confirm = useConfirmDay();
  const [reason, setReason] = useState('');
  const d = cell?.day;
  return (
    <Drawer open={Boolean(cell)} onClose={onClose} title={cell ? `${cell.meter} · ${cell.day.day}` : ''} size="large" destroyOnHidden>
      {cell && d ? (
        <Flex vertical gap={12}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('energy.quality.score')}>{d.score === null ? '—' : <Tag color={qualityColor(d.score)}>{Math.round(d.score)}</Tag>}</Descriptions.Item>
            <Descriptions.Item label={t('energy.detail.consumption')}>{formatQuantity(d.consumption, i18n.language)}</Descriptions.Item>
            <Descriptions.Item label={t('energy.quality.received')}>
              {d.received} / {d.expected}
            </Descriptions.Item>
            <Descriptions.Item label={t('energy.quality.state')}>
              {d.confirmed ? <Tag color="green">{t('energy.quality.confirmed')}</Tag> : d.suspect ? <Tag color="red">{t('energy.quality.suspect')}</Tag> : <Tag>{t('energy.quality.ok')}</Tag>}
            </Descriptions.Item>
          </Descriptions>
          <List size="small" header={t('energy.quality.findings')} dataSource={d.findings} locale={{ emptyText: t('energy.quality.noFindings') }} renderItem={(f) => <List.Item><FindingText code={f.code} facts={f.facts} /></List.Item>} />
          <Link to={`/energy/meters/${encodeURIComponent(cell.meter)}?from=${d.day}&to=${d.day}&interval=hour`}>{t('energy.quality.openMeter')}</Link>
          {d.suspect && !d.confirmed && can('measurement.enter') ? (
            <Form
              layout="vertical"
              onFinish={() =>
                confirm.mutate(
                  { meter: cell.meter, day: d.day, reason: reason.trim() },
                  {
                    onSuccess: () => {
                      void message.success(t('energy.quality.confirmedOk'));
                      onClose();
                    },
                  },
                )
              }
            >
              <Form.Item label={t('energy.quality.reason')} htmlFor="confirm-reason" required>
                <Input.TextArea id="confirm-reason" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} rows={2} />
              </Form.Item>
              {confirm.isError ? <Alert type="error" showIcon title={errorMessage(confirm.error, t)} /> : null}
              <Button type="primary" htmlType="submit" loading={confirm.isPending} disabled={!reason.trim()}>
                {t('energy.quality.confirm')}
              </Button>
            </Form>
          ) : null}
        </Flex>
      ) : null}
    </Drawer>
  );
}
