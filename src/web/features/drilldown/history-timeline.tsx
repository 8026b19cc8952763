import { Empty, Flex, Timeline, Typography } from 'antd';
import type { TimelineProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { parseHistoryAction, type HistoryAction } from './drilldown-model';
import { useDrilldownNames } from './drilldown-parts';
import type { MeasurementDetail } from './queries';

type Entry = MeasurementDetail['history'][number];
type TimelineItem = NonNullable<TimelineProps['items']>[number];

const colors: Record<HistoryAction, string> = {
  save: 'gray',
  save_approved: 'green',
  submit: 'blue',
  approve: 'green',
  return: 'red',
  reopen: 'red',
};

const statuses = new Set(['draft', 'submitted', 'returned', 'approved']);

/**
 * The changes of a value (and of a formula's inputs), newest first: who, when, what, old → new.
 * Values that were never changed through the app (the demo data, a file import) have none here.
 */
export function HistoryTimeline({ history, indicator, source }: { history: Entry[]; indicator: string; source: string | null }) {
  const { t } = useTranslation();
  const names = useDrilldownNames();

  if (history.length === 0) {
    const why = source === 'demo' || source === 'import' ? t(`drilldown.noHistoryWhy.${source}`) : null;
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={why ? `${t('drilldown.noHistory')} ${why}` : t('drilldown.noHistory')} />;
  }

  const describe = (value: unknown, code: string): string => {
    if (value === null || value === undefined) return t('drilldown.emptyValue');
    if (typeof value === 'number') return names.figure(code, value);
    if (typeof value === 'string' && statuses.has(value)) return t(`benchmarking.status.${value as 'draft'}`);
    return typeof value === 'string' ? value : JSON.stringify(value);
  };

  const items: TimelineItem[] = [...history].reverse().map((entry, index) => {
    const { action, raw, input } = parseHistoryAction(entry.action);
    const code = input ?? indicator;
    const label = action ? t(`drilldown.actions.${action}`) : raw;
    const changed = entry.old !== undefined || entry.new !== undefined;
    return {
      key: `${entry.at}|${index}`,
      color: action ? colors[action] : 'gray',
      content: (
        <Flex vertical gap={2}>
          <Typography.Text type="secondary" className="num" style={{ fontSize: 12 }}>
            {formatDateTime(entry.at)}
          </Typography.Text>
          <span>
            <strong>{entry.actor ?? t('drilldown.system')}</strong> · {input ? t('drilldown.inputAction', { action: label, name: names.indicatorName(input) }) : label}
          </span>
          {changed ? (
            <Typography.Text className="num" type="secondary">
              {t('drilldown.change', { old: describe(entry.old, code), new: describe(entry.new, code) })}
            </Typography.Text>
          ) : null}
          {entry.comment ? <Typography.Text italic>“{entry.comment}”</Typography.Text> : null}
        </Flex>
      ),
    };
  });
  return <Timeline items={items} />;
}
