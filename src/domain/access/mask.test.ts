import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone, maskPlate } from './mask';

describe('display masking', () => {
  it('keeps what the conventions keep', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1***************2X');
    expect(maskIdNumber('11010519491231002X', '6+4')).toBe('110105********002X');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('欧阳修')).toBe('欧阳*');
    expect(maskPlate('晋A12345')).toBe('晋A1***5');
  });

  it('never shows more than the kept characters, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (s) => {
        const shown = (m: string) => [...m].filter((c) => c !== '*').length;
        expect(shown(maskIdNumber(s))).toBeLessThanOrEqual(3);
        expect(shown(maskIdNumber(s, '6+4'))).toBeLessThanOrEqual(10);
        expect(shown(maskPhone(s))).toBeLessThanOrEqual(7);
        expect([...maskIdNumber(s)].length).toBe([...s].length);
      }),
    );
  });
});
