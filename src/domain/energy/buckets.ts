/**
 * Calendar buckets of consumption: Asia/Shanghai hours, days and months.
 *
 * Asia/Shanghai is UTC+8 all year (no daylight saving since 1991), so the zone is implemented
 * arithmetically as a fixed offset; every day has 24 hours and every hour starts on a UTC hour.
 *
 * An interval (start, end] spanning bucket boundaries is split in proportion to time: each bucket
 * gets consumption × overlap / (end − start); the last piece takes the remainder, so an interval's
 * pieces add back to its consumption. A zero-length interval goes whole to the bucket holding its
 * instant. Units: instants in epoch milliseconds; consumption in the meter's unit of measure;
 * coverage a share 0–1.
 */
import type { Instant } from './counters';

export type Grain = 'hour' | 'day' | 'month';

/** Asia/Shanghai's offset from UTC, fixed. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The start of the Shanghai hour, day or month holding instant `t`. */
export function bucketStart(t: Instant, grain: Grain): Instant {
  if (grain === 'hour') return Math.floor(t / HOUR_MS) * HOUR_MS;
  const local = t + SHANGHAI_OFFSET_MS;
  if (grain === 'day') return Math.floor(local / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
  const d = new Date(local);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - SHANGHAI_OFFSET_MS;
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: Instant, grain: Grain): Instant {
  if (grain === 'hour') return start + HOUR_MS;
  if (grain === 'day') return start + DAY_MS;
  const d = new Date(start + SHANGHAI_OFFSET_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - SHANGHAI_OFFSET_MS;
}

/** The Shanghai calendar date of instant `t` as 'YYYY-MM-DD'. */
export function shanghaiDate(t: Instant): string {
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai calendar date 'YYYY-MM-DD' starts. */
export function shanghaiDayStart(date: string): Instant {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || shanghaiDate(t - SHANGHAI_OFFSET_MS) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return t - SHANGHAI_OFFSET_MS;
}

export interface Bucket {
  start: Instant;
  consumption: number;
  /** Share of the bucket's time covered by at least one interval, 0–1. */
  coverage: number;
}

type Span = Readonly<{ start: Instant; end: Instant; consumption: number }>;

/** Consumption per Shanghai hour, day or month, with each bucket's coverage; buckets touched by an interval only, ascending. */
export function bucketConsumption(intervals: readonly Span[], grain: Grain): Bucket[] {
  const sums = new Map<Instant, number>();
  const add = (b: Instant, c: number) => sums.set(b, (sums.get(b) ?? 0) + c);
  for (const x of intervals) {
    if (!Number.isFinite(x.start) || !Number.isFinite(x.end) || !Number.isFinite(x.consumption) || x.end < x.start) throw new RangeError(`an interval needs finite start ≤ end and a finite consumption`);
    const length = x.end - x.start;
    if (length === 0) {
      add(bucketStart(x.start, grain), x.consumption);
      continue;
    }
    let rest = x.consumption;
    for (let b = bucketStart(x.start, grain); b < x.end; ) {
      const next = nextBucketStart(b, grain);
      if (next >= x.end) {
        add(b, rest);
        break;
      }
      const piece = (x.consumption * (next - Math.max(b, x.start))) / length;
      add(b, piece);
      rest -= piece;
      b = next;
    }
  }
  const covered = coverageByBucket(intervals, grain);
  return [...sums.keys()].sort((a, b) => a - b).map((start) => ({ start, consumption: sums.get(start)!, coverage: covered.get(start) ?? 0 }));
}

/** Union of the intervals' time, then the covered share of each bucket (overlaps count once). */
function coverageByBucket(intervals: readonly Span[], grain: Grain): Map<Instant, number> {
  const spans = intervals.filter((x) => x.end > x.start).map((x) => [x.start, x.end] as [number, number]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  const ms = new Map<Instant, number>();
  for (const [from, to] of merged) {
    for (let b = bucketStart(from, grain); b < to; b = nextBucketStart(b, grain)) {
      const next = nextBucketStart(b, grain);
      ms.set(b, (ms.get(b) ?? 0) + Math.min(next, to) - Math.max(b, from));
    }
  }
  const out = new Map<Instant, number>();
  for (const [b, covered] of ms) out.set(b, Math.min(1, covered / (nextBucketStart(b, grain) - b)));
  return out;
}
