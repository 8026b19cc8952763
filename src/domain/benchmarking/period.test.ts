import { describe, expect, it } from 'vitest';
import { daysInMonth, formatPeriod, monthsBetween, monthsOf, parsePeriod, previousPeriod, sameLastYear, yearToDateMonths } from './period';

describe('periods', () => {
  it('parses and formats months, quarters and years', () => {
    for (const t of ['2020-02', '2020-Q1', '2020']) expect(formatPeriod(parsePeriod(t)!)).toBe(t);
    for (const bad of ['2020-13', '2020-00', '2020-Q5', '20', '2020-2', 'x']) expect(parsePeriod(bad)).toBeNull();
  });
  it('knows the months of each period and the year to date', () => {
    expect(monthsOf(parsePeriod('2020-Q2')!)).toEqual(['2020-04', '2020-05', '2020-06']);
    expect(monthsOf(parsePeriod('2019')!)).toHaveLength(12);
    expect(yearToDateMonths(parsePeriod('2020-03')!)).toEqual(['2020-01', '2020-02', '2020-03']);
    expect(yearToDateMonths(parsePeriod('2020-Q2')!)).toHaveLength(6);
  });
  it('steps back a period and a year', () => {
    expect(formatPeriod(previousPeriod(parsePeriod('2020-01')!))).toBe('2019-12');
    expect(formatPeriod(previousPeriod(parsePeriod('2020-Q1')!))).toBe('2019-Q4');
    expect(formatPeriod(sameLastYear(parsePeriod('2020-02')!))).toBe('2019-02');
  });
  it('counts days (2020 is a leap year) and walks months', () => {
    expect(daysInMonth('2020-02')).toBe(29);
    expect(daysInMonth('2019-02')).toBe(28);
    expect(monthsBetween('2019-11', '2020-02')).toEqual(['2019-11', '2019-12', '2020-01', '2020-02']);
  });
});
