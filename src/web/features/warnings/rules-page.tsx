import { ArrowDownOutlined, ArrowLeftOutlined, ArrowUpOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Flex, Form, Select, Switch, Table, Tag, Typography, theme } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useErrorMessage } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { usePermission } from '../../app/session';
import { LoadError, PageSpin } from '../../app/status-pages';
import { useIndicators } from '../indicators/queries';
import { useUnits } from '../units/queries';
import { unitName } from '../units/unit-tree';
import { ruleFamily, useScanWarnings, useUpdateWarningRule, useWarningRules, type PutRuleInput, type RuleFamily, type ScanResult, type WarningRule } from './queries';
import { RuleFormDrawer } from './rules-form';
import { useRuleSentence } from './rules-sentence';

const familyColors: Record<RuleFamily, string> = { target: 'red', benchmark: 'purple', controlChart: 'blue', dataQuality: 'orange' };

/** The PUT body that keeps a rule as it is but for `changes`. */
function putBodyOf(rule: WarningRule, changes: Partial<Pick<WarningRule, 'enabled' | 'sortOrder'>>): PutRuleInput & { id: string } {
  return {
    id: rule.id,
    code: rule.code,
    params: rule.params,
    holdPeriods: rule.holdPeriods,
    notify: rule.notify,
    mute: rule.mute,
    enabled: rule.enabled,
    sortOrder: rule.sortOrder,
    version: rule.version,
    ...changes,
  } as PutRuleInput & { id: string };
}

/** 预警规则: one indicator's warning rules in the order they apply; indicator.write users add and edit them. */
export function WarningRulesPage() {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const { message, modal } = App.useApp();
  const can = usePermission();
  const canWrite = can('indicator.write');
  const describeError = useErrorMessage();
  const locale = i18n.language;
  const [searchParams, setSearchParams] = useSearchParams();
  const indicatorCode = searchParams.get('indicator') ?? undefined;
  const indicators = useIndicators();
  const indicator = indicators.data?.find((i) => i.code === indicatorCode);
  const rules = useWarningRules(indicatorCode);
  const update = useUpdateWarningRule();
  const scan = useScanWarnings();
  const units = useUnits();
  const unitByCode = useMemo(() => new Map((units.data ?? []).map((u) => [u.code, u])), [units.data]);
  const sentence = useRuleSentence(indicator);
  const [editing, setEditing] = useState<WarningRule | 'new' | null>(null);
  const [changed, setChanged] = useState(false);
  const [scanned, setScanned] = useState<ScanResult | null>(null);
  const [moving, setMoving] = useState(false);

  const indicatorLabel = (code: string) => {
    const i = indicators.data?.find((x) => x.code === code);
    return i ? `${locale === 'en-US' && i.nameEn ? i.nameEn : i.nameZh} (${code})` : code;
  };
  const list = useMemo(() => (rules.data ?? []).filter((r) => r.indicator === indicatorCode), [rules.data, indicatorCode]);
  const nextSortOrder = list.length ? Math.max(...list.map((r) => r.sortOrder)) + 10 : 0;
  const [now] = useState(() => Date.now());

  const afterChange = (text: string) => {
    void message.success(text);
    setScanned(null);
    setChanged(true);
  };

  const setEnabled = (rule: WarningRule, enabled: boolean) => {
    const run = () =>
      update
        .mutateAsync(putBodyOf(rule, { enabled }))
        .then(() => afterChange(t(enabled ? 'warningRules.enabledDone' : 'warningRules.disabledDone', { code: rule.code })))
        .catch((e: unknown) => void message.error(describeError(e)));
    if (enabled) {
      void run();
      return;
    }
    void modal.confirm({
      title: t('warningRules.disableTitle'),
      content: t('warningRules.disableConfirm', { code: rule.code, indicator: indicatorLabel(rule.indicator) }),
      okText: t('warningRules.disable'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: run,
    });
  };

  /** Moves a rule one place up or down: the rules are renumbered 0, 10, 20… and the changed ones saved. */
  const move = async (index: number, by: -1 | 1) => {
    const order = [...list];
    const [rule] = order.splice(index, 1);
    order.splice(index + by, 0, rule!);
    setMoving(true);
    try {
      for (const [i, r] of order.entries()) {
        if (r.sortOrder !== i * 10) await update.mutateAsync(putBodyOf(r, { sortOrder: i * 10 }));
      }
      afterChange(t('warningRules.moved'));
    } catch (e) {
      void message.error(describeError(e));
    } finally {
      setMoving(false);
    }
  };

  const columns: TableColumnsType<WarningRule> = [
    {
      key: 'order',
      title: t('warningRules.order'),
      width: canWrite ? 120 : 70,
      render: (_v, r, index) => (
        <Flex gap={4} align="center">
          <span className="num" style={{ minWidth: 20 }}>
            {index + 1}
          </span>
          {canWrite ? (
            <>
              <Button size="small" icon={<ArrowUpOutlined aria-hidden />} aria-label={t('warningRules.moveUpLabel', { code: r.code })} disabled={index === 0 || moving} onClick={() => void move(index, -1)} />
              <Button size="small" icon={<ArrowDownOutlined aria-hidden />} aria-label={t('warningRules.moveDownLabel', { code: r.code })} disabled={index === list.length - 1 || moving} onClick={() => void move(index, 1)} />
            </>
          ) : null}
        </Flex>
      ),
    },
    {
      key: 'code',
      title: t('warningRules.code'),
      width: 200,
      render: (_v, r) => (
        <Flex vertical gap={2} align="start">
          <Tag color={familyColors[ruleFamily(r.code)]}>{r.code}</Tag>
          <span>{t(`warnings.rules.${r.code}`, { defaultValue: r.code })}</span>
        </Flex>
      ),
    },
    {
      key: 'unit',
      title: t('warningRules.unit'),
      width: 130,
      render: (_v, r) => {
        if (!r.unit) return <Typography.Text type="secondary">{t('warningRules.allUnits')}</Typography.Text>;
        const u = unitByCode.get(r.unit);
        return (
          <Flex vertical>
            <span>{u ? unitName(u, locale) : r.unit}</span>
            <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }}>
              {r.unit}
            </Typography.Text>
          </Flex>
        );
      },
    },
    { key: 'definition', title: t('warningRules.definition'), width: 320, render: (_v, r) => <span title={r.definition}>{sentence(r)}</span> },
    { key: 'hold', title: t('warningRules.holdPeriods'), width: 90, render: (_v, r) => <span className="num">{t('warningRules.holdPeriodsValue', { count: r.holdPeriods })}</span> },
    { key: 'notify', title: t('warningRules.notify'), width: 90, render: (_v, r) => t(`warningRules.notifyShort.${r.notify}`) },
    {
      key: 'mute',
      title: t('warningRules.mute'),
      width: 200,
      render: (_v, r) =>
        r.mute.length === 0 ? (
          <Typography.Text type="secondary">{t('warningRules.noMute')}</Typography.Text>
        ) : (
          <Flex vertical gap={2}>
            {r.mute.map((w) => (
              <span key={`${w.from}/${w.to}`} className="num" style={{ fontSize: token.fontSizeSM }}>
                {formatDateTime(w.from).slice(0, 16)} – {formatDateTime(w.to).slice(0, 16)}
                {Date.parse(w.from) <= now && now < Date.parse(w.to) ? (
                  <Tag color="gold" style={{ marginInlineStart: 4 }}>
                    {t('warningRules.muteActive')}
                  </Tag>
                ) : null}
              </span>
            ))}
          </Flex>
        ),
    },
    {
      key: 'enabled',
      title: t('warningRules.enabled'),
      width: 80,
      render: (_v, r) => <Switch size="small" checked={r.enabled} disabled={!canWrite || moving} aria-label={t('warningRules.enabledLabel', { code: r.code })} onChange={(checked) => setEnabled(r, checked)} />,
    },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      render: (_v, r) => (
        <Button size="small" icon={<EditOutlined aria-hidden />} aria-label={t('warningRules.editLabel', { code: r.code })} onClick={() => setEditing(r)}>
          {t('warningRules.edit')}
        </Button>
      ),
    });
  }

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('warningRules.title')}
        </Typography.Title>
        <Link to="/warnings">
          <ArrowLeftOutlined aria-hidden /> {t('warningRules.back')}
        </Link>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('warningRules.intro')}
      </Typography.Paragraph>
      {!canWrite ? <Alert type="info" showIcon title={t('warningRules.readOnly')} /> : null}
      <Flex gap={8} wrap align="center" justify="space-between">
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('warningRules.indicator')} htmlFor="warning-rules-indicator">
            <Select
              id="warning-rules-indicator"
              showSearch={{ optionFilterProp: 'label' }}
              value={indicatorCode}
              placeholder={t('warningRules.pickIndicator')}
              onChange={(v: string) => {
                setChanged(false);
                setScanned(null);
                setSearchParams({ indicator: v }, { replace: true });
              }}
              loading={indicators.isPending}
              options={(indicators.data ?? []).map((i) => ({ value: i.code, label: indicatorLabel(i.code) }))}
              style={{ width: 300, maxWidth: '100%' }}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        </Form>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined aria-hidden />} disabled={!indicator} onClick={() => setEditing('new')}>
            {t('warningRules.add')}
          </Button>
        ) : null}
      </Flex>
      {changed && canWrite ? (
        <Alert
          type="info"
          showIcon
          closable
          onClose={() => setChanged(false)}
          title={t('warningRules.scanHint')}
          action={
            <Button
              size="small"
              icon={<ReloadOutlined aria-hidden />}
              loading={scan.isPending}
              onClick={() =>
                scan.mutate(undefined, {
                  onSuccess: (result) => {
                    setScanned(result);
                    setChanged(false);
                  },
                })
              }
            >
              {t('warningRules.scan')}
            </Button>
          }
        />
      ) : null}
      {scanned ? <Alert type="success" showIcon closable onClose={() => setScanned(null)} title={t('warnings.scanDone', { ...scanned })} /> : null}
      {scan.error ? <Alert type="error" showIcon role="alert" title={describeError(scan.error)} /> : null}
      {!indicatorCode ? (
        <Card>
          <Empty description={t('warningRules.pick')} />
        </Card>
      ) : rules.isError ? (
        <LoadError error={rules.error} onRetry={() => void rules.refetch()} />
      ) : !rules.data ? (
        <PageSpin />
      ) : list.length === 0 ? (
        <Card>
          <Empty description={t('warningRules.empty')} />
        </Card>
      ) : (
        <Table<WarningRule> rowKey="id" size="small" columns={columns} dataSource={list} loading={rules.isFetching || moving} scroll={{ x: 1340 }} pagination={false} />
      )}
      {editing && indicator ? (
        <RuleFormDrawer
          indicator={indicator}
          indicatorLabel={indicatorLabel(indicator.code)}
          rule={editing === 'new' ? null : editing}
          nextSortOrder={nextSortOrder}
          onClose={() => setEditing(null)}
          onSaved={(rule, created) => {
            setEditing(null);
            afterChange(t(created ? 'warningRules.created' : 'warningRules.saved', { code: rule.code }));
          }}
        />
      ) : null}
    </Flex>
  );
}
