import { Breadcrumb, Button, Drawer, Flex, Grid, Typography, theme } from 'antd';
import type { BreadcrumbProps } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { windowMonths, type DrilldownTarget } from './drilldown-model';
import { useDrilldownNames } from './drilldown-parts';
import { MonthDetail } from './month-detail';
import { WindowDetail } from './window-detail';

/**
 * 数据溯源: where a number comes from. A month's value shows its status, source, people, note,
 * formula inputs and history; a quarter's or a year to date's shows its months. Inputs and months
 * are ways further down; the breadcrumb is the way back. `extra` goes to the drawer's header.
 */
export function DrilldownDrawer({ target, onClose, extra }: { target: DrilldownTarget | null; onClose: () => void; extra?: ReactNode }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const names = useDrilldownNames();

  // The way down from the number that was clicked; a new number starts a new way. While the drawer
  // closes (target null) the last way stays on screen.
  const [start, setStart] = useState(target);
  const [trail, setTrail] = useState<DrilldownTarget[]>(target ? [target] : []);
  if (target !== start) {
    setStart(target);
    if (target) setTrail([target]);
  }

  // After a step down or back the clicked button is gone: keyboard focus goes to the top of the new level.
  const top = useRef<HTMLElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    top.current?.focus();
  }, [trail]);
  const go = (next: DrilldownTarget[]) => {
    moved.current = true;
    setTrail(next);
  };

  const level = trail.at(-1);
  const months = level ? windowMonths(level.period, level.scope) : [];
  const periodLabel = (step: DrilldownTarget) => (step.scope === 'ytd' ? t('drilldown.ytdPeriod', { period: step.period }) : step.period);
  const stepLabel = (step: DrilldownTarget) => `${names.indicatorName(step.indicator)} · ${periodLabel(step)}`;
  const uom = level ? names.indicators.get(level.indicator)?.uom : undefined;

  const crumbs: BreadcrumbProps['items'] = trail.map((step, i) => ({
    key: i,
    title:
      i < trail.length - 1 ? (
        <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => go(trail.slice(0, i + 1))}>
          {stepLabel(step)}
        </Button>
      ) : (
        <span aria-current="location">{stepLabel(step)}</span>
      ),
  }));

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size={screens.md ? 720 : '100%'}
      extra={extra}
      title={
        level ? (
          <Flex vertical gap={0}>
            <Flex gap={8} align="baseline" wrap>
              <span>{names.indicatorName(level.indicator)}</span>
              <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM, fontWeight: 'normal' }}>
                {level.indicator}
                {uom ? ` · ${uom}` : ''}
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM, fontWeight: 'normal' }}>
              {t('drilldown.title')} · {names.unitName(level.unit)} · {periodLabel(level)}
            </Typography.Text>
          </Flex>
        ) : (
          t('drilldown.title')
        )
      }
    >
      {level ? (
        <Flex vertical gap={16} ref={top} tabIndex={-1} style={{ outline: 'none' }}>
          {trail.length > 1 ? <Breadcrumb aria-label={t('drilldown.trail')} items={crumbs} /> : null}
          {months.length > 1 ? (
            <WindowDetail
              unit={level.unit}
              indicator={level.indicator}
              months={months}
              periodLabel={periodLabel(level)}
              onOpenMonth={(month) => go([...trail, { unit: level.unit, indicator: level.indicator, period: month }])}
              onOpenInput={(input) => go([...trail, { ...level, indicator: input }])}
            />
          ) : (
            <MonthDetail
              unit={level.unit}
              indicator={level.indicator}
              month={months[0] ?? level.period}
              onOpenInput={(input) => go([...trail, { unit: level.unit, indicator: input, period: months[0] ?? level.period }])}
            />
          )}
        </Flex>
      ) : null}
    </Drawer>
  );
}
