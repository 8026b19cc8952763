import { Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MonthLevels } from '../target-levels';
import { LevelCell } from './level-cell';

const right = { align: 'right' as const };

/** An indicator's twelve monthly targets: rows of their own, or the annual target's share or level. */
export function MonthBreakdown({ months, precision }: { months: MonthLevels[]; precision: number | undefined }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<MonthLevels> = [
    { key: 'period', title: t('targets.month'), dataIndex: 'period', width: 90, render: (period: string) => <span className="num">{period}</span> },
    { key: 'floor', title: t('targets.floor'), width: 110, ...right, render: (_v, m) => <LevelCell value={m.levels?.floor} precision={precision} source={m.source} /> },
    { key: 'target', title: t('targets.target'), width: 110, ...right, render: (_v, m) => <LevelCell value={m.levels?.target} precision={precision} source={m.source} strong /> },
    { key: 'stretch', title: t('targets.stretch'), width: 110, ...right, render: (_v, m) => <LevelCell value={m.levels?.stretch} precision={precision} source={m.source} /> },
    {
      key: 'basis',
      title: t('targets.basis'),
      render: (_v, m) =>
        m.source === 'own' ? (
          <Typography.Text style={{ fontSize: 12 }}>{m.basis}</Typography.Text>
        ) : m.source === 'annual' ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('targets.fromAnnual')}
          </Typography.Text>
        ) : null,
    },
  ];
  return (
    <Table<MonthLevels>
      rowKey="period"
      size="small"
      columns={columns}
      dataSource={months}
      pagination={false}
      scroll={{ x: 'max-content' }}
      style={{ maxWidth: 760 }}
    />
  );
}
