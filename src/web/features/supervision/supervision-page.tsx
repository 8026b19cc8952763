import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Form, Select, Table, Tag, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { StatCards } from '../benchmarking/stat-cards';
import { UnitTreeSelect } from '../units/components/unit-tree-select';
import { useUnits } from '../units/queries';
import { unitName } from '../units/unit-tree';
import { AssignModal } from './assign-modal';
import { ItemDrawer } from './item-drawer';
import { LightDot, useDaysLeftText } from './light-dot';
import { useSupervisionItems, type SupervisionItem, type SupervisionLight, type SupervisionState } from './queries';
import { stateColors } from './supervision-parts';
import { useSetSearchParam } from '../../app/use-search-param';

const filterStates: (SupervisionState | 'open')[] = ['open', 'assigned', 'accepted', 'acting', 'reported', 'closed', 'cancelled'];
const filterLights: SupervisionLight[] = ['green', 'yellow', 'red', 'done'];

/** 督办表 (the urgent-matters supervision sheet): items with their lights, days left, filters, steps. */
export function SupervisionPage() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const can = usePermission();
  const daysText = useDaysLeftText();
  const [params] = useSearchParams();
  const [unit, setUnit] = useState<string | null>(null);
  const [state, setState] = useState<SupervisionState | 'open' | undefined>('open');
  const [light, setLight] = useState<SupervisionLight | undefined>(undefined);
  // /supervision?problem=<id>&assign=1 (from the problem board) opens the form for that problem.
  const [assigning, setAssigning] = useState(() => params.get('assign') === '1' && can('supervision.write'));
  const problem = params.get('problem') ?? undefined;
  const openId = params.get('item');
  const items = useSupervisionItems({ unit: unit ?? undefined, state, light, problem });
  const open = useSupervisionItems({ state: 'open' });
  const units = useUnits();
  const unitByCode = useMemo(() => new Map((units.data ?? []).map((u) => [u.code, u])), [units.data]);
  const canAssign = can('supervision.write');

  const setParam = useSetSearchParam();

  const countOf = (l: SupervisionLight) => open.data?.filter((i) => i.light === l).length;
  const cards = (['red', 'yellow', 'green'] as const).map((l) => ({
    key: l,
    title: t(`supervision.lightCount.${l}`),
    value: countOf(l) ?? '—',
    color: l === 'red' && countOf('red') ? token.colorError : l === 'yellow' && countOf('yellow') ? token.colorWarning : undefined,
    detail: t('supervision.openItems'),
  }));

  const columns: TableColumnsType<SupervisionItem> = [
    { key: 'number', title: t('supervision.number'), width: 70, render: (_v, r) => <span className="num">#{r.number}</span> },
    { key: 'light', title: t('supervision.light'), width: 90, render: (_v, r) => <LightDot light={r.light} /> },
    {
      key: 'title',
      title: t('supervision.title'),
      render: (_v, r) => (
        <Flex vertical>
          <Typography.Link onClick={() => setParam('item', r.id)}>{r.title}</Typography.Link>
          {r.problemNumber !== null ? (
            <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
              {t('supervision.fromProblemNumber', { number: r.problemNumber })}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'unit',
      title: t('supervision.unit'),
      width: 140,
      responsive: ['md'],
      render: (_v, r) => {
        const u = unitByCode.get(r.unit);
        return u ? unitName(u, i18n.language) : r.unit;
      },
    },
    { key: 'owner', title: t('supervision.owner'), width: 120, render: (_v, r) => r.owner.name },
    { key: 'due', title: t('supervision.dueDate'), width: 110, responsive: ['sm'], render: (_v, r) => <span className="num">{r.dueDate}</span> },
    {
      key: 'daysLeft',
      title: t('supervision.daysLeftColumn'),
      width: 110,
      render: (_v, r) => <Typography.Text type={r.light === 'red' ? 'danger' : r.light === 'yellow' ? 'warning' : undefined}>{daysText(r.daysLeft, r.light)}</Typography.Text>,
    },
    {
      key: 'state',
      title: t('supervision.state'),
      width: 100,
      render: (_v, r) => (
        <Flex gap={4} wrap>
          <Tag color={stateColors[r.state]}>{t(`supervision.states.${r.state}`)}</Tag>
          {r.escalatedAt ? <Tag color="red">{t('supervision.escalated')}</Tag> : null}
        </Flex>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      render: (_v, r) => (
        <Button size="small" type={r.allowedActions.length ? 'primary' : 'default'} onClick={() => setParam('item', r.id)} aria-label={t('supervision.openItem', { number: r.number })}>
          {r.allowedActions.length ? t('supervision.handle') : t('supervision.view')}
        </Button>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('supervision.pageTitle')}
        </Typography.Title>
        {canAssign ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setAssigning(true)}>
            {t('supervision.assign')}
          </Button>
        ) : null}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('supervision.intro')}
      </Typography.Paragraph>
      <StatCards cards={cards} span={{ xs: 8, md: 8 }} />
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t('supervision.unit')} htmlFor="supervision-unit">
          <UnitTreeSelect id="supervision-unit" valueField="code" value={unit} onChange={setUnit} allowClear placeholder={t('supervision.allUnits')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label={t('supervision.state')} htmlFor="supervision-state">
          <Select<SupervisionState | 'open' | undefined>
            id="supervision-state"
            value={state}
            onChange={setState}
            allowClear
            placeholder={t('supervision.allStates')}
            options={filterStates.map((s) => ({ value: s, label: s === 'open' ? t('supervision.openStates') : t(`supervision.states.${s}`) }))}
            style={{ width: 150 }}
          />
        </Form.Item>
        <Form.Item label={t('supervision.light')} htmlFor="supervision-light">
          <Select<SupervisionLight | undefined>
            id="supervision-light"
            value={light}
            onChange={setLight}
            allowClear
            placeholder={t('supervision.allLights')}
            options={filterLights.map((l) => ({ value: l, label: t(`supervision.lights.${l}`) }))}
            style={{ width: 130 }}
          />
        </Form.Item>
        {problem ? (
          <Form.Item>
            <Tag closable onClose={() => setParam('problem', null)}>
              {t('supervision.problemFilter')}
            </Tag>
          </Form.Item>
        ) : null}
      </Form>
      {items.isError ? (
        <LoadError error={items.error} onRetry={() => void items.refetch()} />
      ) : !items.data ? (
        <PageSpin />
      ) : items.data.length === 0 ? (
        <Card>
          <Empty description={t('supervision.empty')} />
        </Card>
      ) : (
        <Table<SupervisionItem>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items.data}
          loading={items.isFetching}
          scroll={{ x: 760 }}
          pagination={{ defaultPageSize: 50, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
        />
      )}
      <ItemDrawer id={openId} onClose={() => setParam('item', null)} />
      {assigning ? (
        <AssignModal
          problemId={problem}
          onClose={() => setAssigning(false)}
          onAssigned={(id) => {
            setAssigning(false);
            setParam('item', id);
          }}
        />
      ) : null}
    </Flex>
  );
}
