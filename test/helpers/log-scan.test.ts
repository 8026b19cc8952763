import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCheckCharacter } from '../../src/domain/access/id-number';
import { personalDataInLog } from './log-scan';

describe('the log scan that runs after every browser suite', () => {
  it('finds ID numbers (by their check character) and mobile numbers, names the line, and masks what it reports', () => {
    const log = ['{"msg":"request completed","url":"/api/people?idNumber=[redacted]"}', '{"msg":"oops","detail":"11010519491231002X"}', '{"phone":"13800138000"}'].join('\n');
    expect(personalDataInLog(log)).toEqual([
      { line: 2, kind: 'id-number', masked: '110*************2X' },
      { line: 3, kind: 'phone', masked: '138******00' },
    ]);
  });

  it('ignores what only looks like them: timestamps, durations, ids, 18 digits with a wrong check character', () => {
    const log = ['{"time":1764201234567,"responseTime":12.13812345678,"reqId":"7f3e1380-0138-4000-a000-138001380001"}', '{"n":110105194912310021}', '{"count":13800138000123}'].join('\n');
    expect(personalDataInLog(log)).toEqual([]);
  });

  it('property: any valid ID number or mobile number embedded in a JSON line is found', () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
    const idNumber = digits(17).map((first) => first + idCheckCharacter(first));
    const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digits(9)).map(([second, rest]) => `1${second}${rest}`);
    fc.assert(
      fc.property(fc.oneof(idNumber, mobile), fc.string({ maxLength: 20 }).map((s) => s.replace(/[\d.\n]/g, '')), (value, key) => {
        expect(personalDataInLog(`{"${key}":"${value}"}`)).toHaveLength(1);
      }),
    );
  });
});
