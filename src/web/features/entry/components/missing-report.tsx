import { Alert, Button, Flex, Progress, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../app/status-pages';
import { useIndicatorMap } from '../../indicators/queries';
import { useMissingReport, type MissingReport } from '../queries';

type MissingUnit = MissingReport['units'][number];

/** 缺报情况: the units in the user's scope that still lack values for the month. */
export function MissingReportPanel({ period, onOpen }: { period: string; onOpen: (unit: string) => void }) {
  const { t, i18n } = useTranslation();
  const report = useMissingReport(period);
  const indicators = useIndicatorMap();
  const english = i18n.language === 'en-US';

  if (report.isError) return <LoadError error={report.error} onRetry={() => void report.refetch()} />;

  const columns: TableColumnsType<MissingUnit> = [
    {
      key: 'unit',
      title: t('entry.missing.unit'),
      width: 200,
      render: (_v, unit) => (
        <Flex vertical>
          <span>{english && unit.nameEn ? unit.nameEn : unit.nameZh}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {unit.unit}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'progress',
      title: t('entry.missing.missingCount'),
      width: 180,
      render: (_v, unit) => (
        <Flex gap={8} align="center">
          <span className="num">
            {unit.missing.length} / {unit.expected}
          </span>
          <Progress
            percent={Math.round(((unit.expected - unit.missing.length) / unit.expected) * 100)}
            size="small"
            showInfo={false}
            style={{ width: 80, margin: 0 }}
          />
        </Flex>
      ),
    },
    {
      key: 'indicators',
      title: t('entry.missing.indicators'),
      render: (_v, unit) => (
        <Flex gap={4} wrap>
          {unit.missing.map((code) => {
            const indicator = indicators.get(code);
            const name = indicator ? (english && indicator.nameEn ? indicator.nameEn : indicator.nameZh) : code;
            return (
              <Tooltip key={code} title={code}>
                <Tag>{name}</Tag>
              </Tooltip>
            );
          })}
        </Flex>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 100,
      render: (_v, unit) => (
        <Button size="small" onClick={() => onOpen(unit.unit)}>
          {t('entry.missing.open')}
        </Button>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      {report.data ? (
        report.data.units.length === 0 ? (
          <Alert type="success" showIcon title={t('entry.missing.none', { period })} />
        ) : (
          <Alert type="warning" showIcon title={t('entry.missing.summary', { period, count: report.data.units.length })} />
        )
      ) : null}
      <Table<MissingUnit>
        rowKey="unit"
        size="small"
        columns={columns}
        dataSource={report.data?.units}
        loading={report.isFetching}
        pagination={false}
        scroll={{ x: 720 }}
      />
    </Flex>
  );
}
