import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../notices/week';
import { matchRiskAreas, normalizeRegion, regionCovers, riskFacts } from './risk-areas';
import type { RiskArea, TravelStay } from './types';

const today = '2020-02-10';
const area = (over: Partial<RiskArea> = {}): RiskArea => ({ region: '湖北省', level: 'high', validFrom: '2020-01-01', validTo: null, ...over });
const stay = (over: Partial<TravelStay> = {}): TravelStay => ({ region: '湖北省武汉市江汉区', fromDate: '2020-01-20', toDate: '2020-01-26', ...over });

describe('prefix matching of regions', () => {
  it('an area covers the places below it, not its neighbours or parents', () => {
    expect(regionCovers('湖北省', '湖北省武汉市江汉区')).toBe(true);
    expect(regionCovers('湖北省武汉市', '湖北省武汉市江汉区')).toBe(true);
    expect(regionCovers('湖北省武汉市', '湖北省孝感市')).toBe(false);
    expect(regionCovers('湖北省武汉市江汉区', '湖北省武汉市')).toBe(false);
    expect(regionCovers('湖南省', '湖北省武汉市')).toBe(false);
  });
  it('spaces (ASCII or full width) do not matter; an empty area covers nothing', () => {
    expect(normalizeRegion(' 湖北省　武汉市 ')).toBe('湖北省武汉市');
    expect(regionCovers(' 湖北省 ', '湖北省 武汉市')).toBe(true);
    expect(regionCovers('  ', '湖北省武汉市')).toBe(false);
  });
});

describe('matchRiskAreas', () => {
  it('matches a stay in an area, with the days since it ended', () => {
    const m = matchRiskAreas([stay()], [area()], today, 15);
    expect(m).toEqual([{ stay: stay(), area: area(), daysAgo: 15 }]);
    expect(riskFacts(m)).toEqual({ riskTravelDaysAgo: 15, riskTravelLevel: 'high' });
  });
  it('the look-back: a stay that ended exactly 15 days ago is in, 16 days ago is out', () => {
    expect(matchRiskAreas([stay({ toDate: addDays(today, -15) })], [area()], today, 15)).toHaveLength(1);
    expect(matchRiskAreas([stay({ toDate: addDays(today, -16) })], [area()], today, 15)).toEqual([]);
    // A longer stay that ended within the look-back counts whenever it began.
    expect(matchRiskAreas([stay({ fromDate: '2019-12-01', toDate: addDays(today, -3) })], [area()], today, 15)[0]!.daysAgo).toBe(3);
    // Look-back 0: only a stay lasting until today.
    expect(matchRiskAreas([stay({ toDate: today })], [area()], today, 0)).toHaveLength(1);
    expect(matchRiskAreas([stay({ toDate: addDays(today, -1) })], [area()], today, 0)).toEqual([]);
  });
  it('the validity: the stay must overlap [validFrom, validTo], both days inclusive', () => {
    const s = stay({ fromDate: '2020-01-20', toDate: '2020-01-26' });
    expect(matchRiskAreas([s], [area({ validFrom: '2020-01-26' })], today, 30)).toHaveLength(1);
    expect(matchRiskAreas([s], [area({ validFrom: '2020-01-27' })], today, 30)).toEqual([]);
    expect(matchRiskAreas([s], [area({ validFrom: '2020-01-01', validTo: '2020-01-20' })], today, 30)).toHaveLength(1);
    expect(matchRiskAreas([s], [area({ validFrom: '2020-01-01', validTo: '2020-01-19' })], today, 30)).toEqual([]);
    expect(matchRiskAreas([s], [area({ validFrom: '2020-01-22', validTo: '2020-01-23' })], today, 30)).toHaveLength(1);
    // No end date: a risk area until further notice.
    expect(matchRiskAreas([s], [area({ validFrom: '2019-06-01', validTo: null })], today, 30)).toHaveLength(1);
  });
  it('a stay lasting beyond today counts up to today (0 days ago); a stay that has not begun does not count', () => {
    const ongoing = stay({ fromDate: '2020-02-05', toDate: '2020-02-20' });
    expect(matchRiskAreas([ongoing], [area()], today, 15)[0]!.daysAgo).toBe(0);
    // An area from tomorrow on does not make today's part of the stay risky.
    expect(matchRiskAreas([ongoing], [area({ validFrom: '2020-02-11' })], today, 15)).toEqual([]);
    expect(matchRiskAreas([stay({ fromDate: '2020-02-11', toDate: '2020-02-12' })], [area()], today, 15)).toEqual([]);
  });
  it('sorts by level (high first), then the most recent; one stay can match several areas', () => {
    const wuhan = stay({ region: '湖北省武汉市', toDate: '2020-02-01' });
    const wenzhou = stay({ region: '浙江省温州市', fromDate: '2020-02-05', toDate: '2020-02-08' });
    const areas = [area({ region: '浙江省温州市', level: 'medium' }), area({ region: '湖北省', level: 'medium' }), area({ region: '湖北省武汉市', level: 'high' })];
    const m = matchRiskAreas([wenzhou, wuhan], areas, today, 15);
    expect(m.map((x) => [x.stay.region, x.area.region, x.area.level, x.daysAgo])).toEqual([
      ['湖北省武汉市', '湖北省武汉市', 'high', 9],
      ['浙江省温州市', '浙江省温州市', 'medium', 2],
      ['湖北省武汉市', '湖北省', 'medium', 9],
    ]);
    expect(riskFacts(m)).toEqual({ riskTravelDaysAgo: 9, riskTravelLevel: 'high' });
    expect(riskFacts([...m].reverse())).toEqual({ riskTravelDaysAgo: 9, riskTravelLevel: 'high' });
    expect(riskFacts([])).toEqual({ riskTravelDaysAgo: null, riskTravelLevel: null });
  });
  it('refuses a stay that ends before it starts, a bad day or a negative look-back', () => {
    expect(() => matchRiskAreas([stay({ fromDate: '2020-01-27', toDate: '2020-01-26' })], [area()], today, 15)).toThrow(RangeError);
    expect(() => matchRiskAreas([stay({ toDate: '2020-01-32' })], [area()], today, 15)).toThrow(RangeError);
    expect(() => matchRiskAreas([stay()], [area()], today, -1)).toThrow(RangeError);
  });
});

const base = '2020-01-01';
const stayArb = fc.record({ region: fc.constantFrom('湖北省武汉市', '湖北省孝感市', '浙江省温州市', '广东省'), from: fc.integer({ min: 0, max: 60 }), len: fc.integer({ min: 0, max: 10 }) }).map(
  (s): TravelStay => ({ region: s.region, fromDate: addDays(base, s.from), toDate: addDays(base, s.from + s.len) }),
);
const areaArb = fc.record({ region: fc.constantFrom('湖北省', '湖北省武汉市', '浙江省', '广东省深圳市'), level: fc.constantFrom('high' as const, 'medium' as const, 'low' as const), from: fc.integer({ min: 0, max: 60 }), len: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }) }).map(
  (a): RiskArea => ({ region: a.region, level: a.level, validFrom: addDays(base, a.from), validTo: a.len === null ? null : addDays(base, a.from + a.len) }),
);

describe('properties', () => {
  it('every match is a covered region, within the look-back and validity, sorted; riskFacts is the first', () => {
    fc.assert(
      fc.property(fc.array(stayArb, { maxLength: 6 }), fc.array(areaArb, { maxLength: 5 }), fc.integer({ min: 30, max: 80 }), fc.integer({ min: 0, max: 30 }), (stays, areas, t, lookback) => {
        const day = addDays(base, t);
        const m = matchRiskAreas(stays, areas, day, lookback);
        const rank = { high: 0, medium: 1, low: 2 };
        for (const x of m) {
          expect(x.stay.region.startsWith(x.area.region)).toBe(true);
          expect(x.daysAgo).toBeGreaterThanOrEqual(0);
          expect(x.daysAgo).toBeLessThanOrEqual(lookback);
          expect(x.area.validFrom <= (x.stay.toDate < day ? x.stay.toDate : day)).toBe(true);
          if (x.area.validTo) expect(x.stay.fromDate <= x.area.validTo).toBe(true);
        }
        for (let i = 1; i < m.length; i++) {
          const [a, b] = [m[i - 1]!, m[i]!];
          expect(rank[a.area.level] < rank[b.area.level] || (a.area.level === b.area.level && a.daysAgo <= b.daysAgo)).toBe(true);
        }
        const f = riskFacts(m);
        expect(f).toEqual(m[0] ? { riskTravelDaysAgo: m[0].daysAgo, riskTravelLevel: m[0].area.level } : { riskTravelDaysAgo: null, riskTravelLevel: null });
      }),
    );
  });
  it('a longer look-back never loses a match', () => {
    fc.assert(
      fc.property(fc.array(stayArb, { maxLength: 6 }), fc.array(areaArb, { maxLength: 5 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 10 }), (stays, areas, lookback, more) => {
        const day = addDays(base, 50);
        expect(matchRiskAreas(stays, areas, day, lookback + more).length).toBeGreaterThanOrEqual(matchRiskAreas(stays, areas, day, lookback).length);
      }),
    );
  });
});
