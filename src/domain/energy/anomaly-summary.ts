/**
 * The one-line Chinese summary of an energy anomaly (the anomaly list, the warning notice and the
 * problem raised), from the facts the detection stored. Pure.
 */

export const CARRIER_ZH: Readonly<Record<string, string>> = { power: '电', water: '新水', air: '压缩空气', gas: '天然气', steam: '蒸汽', heat: '热' };

const num = (v: unknown, digits = 2): string => (typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v * 10 ** digits) / 10 ** digits) : '—');

/** What the summary reads from a warning of rule EN_DRIFT or EN_CHART. */
export interface AnomalyFacts {
  meter?: unknown;
  meterName?: unknown;
  carrier?: unknown;
  uom?: unknown;
  baseline?: unknown;
  crossedOn?: unknown;
  h?: unknown;
  minR2?: unknown;
  day?: unknown;
  signal?: unknown;
  perTonne?: unknown;
  upper?: unknown;
  limits?: unknown;
  reason?: unknown;
}

/** One line in Chinese: what the meter did against its baseline or limits. */
export function summarizeAnomaly(rule: string, state: string, f: AnomalyFacts & QualityFacts): string {
  if (rule === 'EN_QUALITY') return summarizeQuality(state, f);
  const name = `${typeof f.meterName === 'string' ? f.meterName : ''}（${String(f.meter ?? '')}）`;
  const carrier = CARRIER_ZH[String(f.carrier)] ?? '';
  if (rule === 'EN_DRIFT') {
    const b = (f.baseline ?? null) as { r2?: unknown; accepted?: unknown; reasons?: unknown; from?: unknown; to?: unknown } | null;
    if (!b || b.accepted !== true) {
      const why = Array.isArray(b?.reasons) ? (b!.reasons as string[]) : ['NO_DATA'];
      const words = why.includes('LOW_R2')
        ? `R² ${num(b?.r2, 3)} 低于 ${num(f.minR2, 2)}`
        : why.includes('WINDOW_INCOMPLETE')
          ? '基准期数据尚不完整'
          : why.includes('TOO_FEW_POINTS')
            ? '基准期有效天数不足 10 天'
            : '缺少产量或用量数据';
      return `${name}${carrier}用量未建立 ISO 50006 基准（${words}），不做漂移检测`;
    }
    if (state === 'firing' || state === 'pending') {
      return `${name}${carrier}用量自 ${String(f.crossedOn ?? f.day ?? '')} 起持续高于基准（R² ${num(b.r2, 3)}，CUSUM 超过 ${num(f.h, 1)}σ）`;
    }
    return `${name}${carrier}用量与基准相符（R² ${num(b.r2, 3)}，基准期 ${String(b.from)}…${String(b.to)}）`;
  }
  const lim = (f.limits ?? null) as { upper?: unknown } | null;
  if (!lim) return `${name}${carrier}吨耗控制图尚无控制限（${typeof f.reason === 'string' ? f.reason : '基准期数据不足'}）`;
  if (state === 'firing' || state === 'pending') {
    return `${name}${String(f.day ?? '')} ${carrier}吨耗 ${num(f.perTonne)} 触发判异规则 ${String(f.signal ?? '')}（上控制限 ${num(lim.upper)}）`;
  }
  return `${name}${carrier}吨耗在控制限内（上控制限 ${num(lim.upper)}）`;
}

/** The data faults of EN_QUALITY in words (the quality heatmap's labels). */
export const FINDING_ZH: Readonly<Record<string, string>> = { EQ_STUCK: '读数停滞', EQ_NEGATIVE: '负消耗', EQ_SPIKE: '突增' };

/** What the summary reads from an EN_QUALITY warning. */
export interface QualityFacts {
  unitName?: unknown;
  unitCode?: unknown;
  lookbackDays?: unknown;
  window?: unknown;
  meters?: unknown;
  faultyDays?: unknown;
  /** All meters with faulty days (`meters` lists at most 50). */
  meterCount?: unknown;
}

const span = (days: readonly string[]): string => (days.length === 0 ? '' : days.length === 1 ? days[0]! : `${days[0]!}…${days.at(-1)!}`);

/**
 * One line in Chinese for EN_QUALITY: how many meters and days wait for a confirmation, naming the
 * first meters with their faults and days; or that there is nothing (left) to confirm.
 */
export function summarizeQuality(state: string, f: QualityFacts): string {
  const unit = typeof f.unitName === 'string' && f.unitName ? f.unitName : String(f.unitCode ?? '');
  const meters = Array.isArray(f.meters) ? (f.meters as { meter?: unknown; days?: unknown; findings?: unknown }[]) : [];
  const w = (f.window ?? null) as { from?: unknown; to?: unknown } | null;
  const window = w && typeof w.from === 'string' && typeof w.to === 'string' ? `（${w.from}…${w.to}）` : '';
  if (state === 'firing' || state === 'pending') {
    const shown = meters.slice(0, 3).map((m) => {
      const findings = (Array.isArray(m.findings) ? (m.findings as string[]) : []).map((c) => `${FINDING_ZH[c] ?? c} ${c}`).join('、');
      const days = Array.isArray(m.days) ? (m.days as string[]) : [];
      return `${String(m.meter ?? '')}（${findings}，${span(days)}）`;
    });
    const more = Math.max(meters.length, typeof f.meterCount === 'number' ? f.meterCount : 0) > 3 ? ' 等' : '';
    const count = typeof f.meterCount === 'number' ? f.meterCount : meters.length;
    return `${unit} ${count} 块表 ${num(f.faultyDays, 0)} 个可疑日待确认：${shown.join('；')}${more}`;
  }
  if (state === 'resolved') return `${unit}可疑数据均已确认或更正${window}`;
  return `${unit}近 ${num(f.lookbackDays, 0)} 天${window}没有待确认的可疑数据`;
}
