import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idCheckCharacter, normaliseIdNumber, normalisePhone, phoneProblem, residentIdProblem } from './id-number';

const today = '2026-11-26';

describe('mainland ID numbers (GB 11643)', () => {
  it('accepts the standard example and its X check character', () => {
    // The GB 11643 worked example: 11010519491231002X.
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdProblem('11010519491231002X', today)).toBeNull();
    expect(residentIdProblem('11010519491231002x', today)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(residentIdProblem('1101051949123100', today)).toBe('LENGTH');
    expect(residentIdProblem('1101051949123100AX', today)).toBe('CHARACTERS');
    expect(residentIdProblem('110105194902300025', today)).toBe('BIRTH_DATE'); // 30 February
    expect(residentIdProblem('110105203001010028', today)).toBe('BIRTH_DATE'); // born in the future
    expect(residentIdProblem('110105194912310021', today)).toBe('CHECKSUM');
  });

  it('any 17 digits with a valid date and their computed check character pass; any other last character fails', () => {
    const date = fc.date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));
    fc.assert(
      fc.property(fc.stringMatching(/^[1-6]\d{5}$/), date, fc.stringMatching(/^\d{3}$/), fc.constantFrom(...'0123456789X'), (area, birth, seq, other) => {
        const first17 = area + birth + seq;
        const good = first17 + idCheckCharacter(first17);
        expect(residentIdProblem(good, today)).toBeNull();
        if (other !== idCheckCharacter(first17)) expect(residentIdProblem(first17 + other, today)).toBe('CHECKSUM');
      }),
    );
  });

  it('normalises what people type', () => {
    expect(normaliseIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(normalisePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalisePhone('008613800138000')).toBe('13800138000');
    expect(phoneProblem('13800138000')).toBeNull();
    expect(phoneProblem('12')).toBe('PHONE');
  });
});
