import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useMe } from '../../app/session';
import { useDemoAccounts } from '../auth/queries';
import { useIndicatorSet } from '../indicators/queries';
import { useUnits } from '../units/queries';
import { isMonthPeriod, monthOf, periodKind, periodStart } from './period';

/** The newspaper's month: the demo company's data are built around it. */
const demoPeriod = '2020-02';
/** The unit with the newspaper's records, for users whose own unit reports nothing. */
const fallbackUnit = 'WL';

// The unit and period last looked at, so that moving between the benchmarking pages keeps them;
// only for the user who looked (someone else may sign in on the same page load).
let lastSelection: { userId?: string; unit?: string; period?: string } = {};

/**
 * Where a benchmarking page starts: the user's own unit when it has indicators (else the
 * logistics division, else the first unit the user may see), and the month being reported
 * (the previous one; the newspaper's month in the demo).
 */
function useDefaultSelection(): { unit: string | undefined; period: string | undefined; settled: boolean } {
  const me = useMe();
  const demo = useDemoAccounts();
  const units = useUnits();
  const visible = useMemo(() => new Set((units.data ?? []).map((unit) => unit.code)), [units.data]);
  const ownVisible = Boolean(me.unitCode && visible.has(me.unitCode));
  const ownSet = useIndicatorSet(ownVisible ? me.unitCode : null);

  const period = demo.isPending ? undefined : demo.data?.demo ? demoPeriod : monthOf(dayjs().subtract(1, 'month'));

  let unit: string | undefined;
  if (units.data) {
    if (ownVisible && ownSet.isPending) unit = undefined;
    else if (ownVisible && (ownSet.data?.items.length ?? 0) > 0) unit = me.unitCode ?? undefined;
    else if (visible.has(fallbackUnit)) unit = fallbackUnit;
    else unit = (ownVisible ? me.unitCode : units.data[0]?.code) ?? undefined;
  }
  const settled = !units.isPending && !demo.isPending && !(ownVisible && ownSet.isPending);
  return { unit, period, settled };
}

export interface Selection {
  unit: string | undefined;
  period: string | undefined;
  /** False while the defaults are still being worked out; true with no unit means there is none to show. */
  settled: boolean;
  setUnit: (unit: string) => void;
  setPeriod: (period: string) => void;
}

/**
 * The unit and period of a benchmarking page, kept in the address (`?unit=WL&period=2020-02`) so
 * that a link or a reload shows the same thing. `monthOnly` pages turn a quarter or year into its
 * first month.
 */
export function useSelection({ monthOnly = false }: { monthOnly?: boolean } = {}): Selection {
  const [searchParams, setSearchParams] = useSearchParams();
  const defaults = useDefaultSelection();
  const userId = useMe().id;
  const last = lastSelection.userId === userId ? lastSelection : {};

  const unitParam = searchParams.get('unit');
  const periodParam = searchParams.get('period');
  const unit = unitParam || last.unit || defaults.unit;
  let period = periodKind(periodParam) ? periodParam! : last.period || defaults.period;
  if (monthOnly && period && !isMonthPeriod(period)) period = monthOf(periodStart(period));

  useEffect(() => {
    const previous = lastSelection.userId === userId ? lastSelection : {};
    // A month-only page keeps the quarter or year another page was showing.
    lastSelection = { userId, unit: unit ?? previous.unit, period: monthOnly ? previous.period : (period ?? previous.period) };
  }, [userId, unit, period, monthOnly]);

  const update = useCallback(
    (key: 'unit' | 'period', value: string) => {
      lastSelection = { ...(lastSelection.userId === userId ? lastSelection : { userId }), [key]: value };
      setSearchParams(
        (params) => {
          const next = new URLSearchParams(params);
          next.set(key, value);
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams, userId],
  );

  return {
    unit,
    period,
    settled: Boolean(unit && period) || defaults.settled,
    setUnit: useCallback((value: string) => update('unit', value), [update]),
    setPeriod: useCallback((value: string) => update('period', value), [update]),
  };
}
