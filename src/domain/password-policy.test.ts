import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPassword, countClasses } from './password-policy';

describe('checkPassword', () => {
  it.each([
    ['Demo#2020', 'admin', []],
    ['short1A', 'admin', ['too_short']],
    ['alllowercase', 'admin', ['too_few_classes']],
    ['lower123456', 'admin', ['too_few_classes']],
    ['Lower123456', 'admin', []],
    ['Xadmin#2020', 'admin', ['contains_username']],
    ['XADMIN#2020', 'admin', ['contains_username']],
    ['Password1!', 'zhang', ['common']],
    ['P@ssw0rd', 'zhang', ['common']],
    ['Qwerty123', 'zhang', ['common']],
    ['密码Abc12345', 'zhang', []],
  ])('%s for %s → %j', (password, username, expected) => {
    expect(checkPassword(password, username)).toEqual(expected);
  });

  it('counts classes the way a person would', () => {
    expect(countClasses('abc')).toBe(1);
    expect(countClasses('aB3')).toBe(3);
    expect(countClasses('aB3#')).toBe(4);
    expect(countClasses('aB3 ')).toBe(4);
  });

  it('accepts long passphrases and refuses over 128 characters', () => {
    expect(checkPassword('Correct horse battery staple 9', 'li')).toEqual([]);
    expect(checkPassword(`Aa1!${'x'.repeat(125)}`, 'li')).toEqual(['too_long']);
  });

  it('property: the verdict matches an independent oracle', () => {
    const chars = fc.constantFrom(...'abcXYZ019#!. 中'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 14 }).map((a) => a.join('')), fc.constantFrom('bob', 'zhangsan', 'li'), (password, username) => {
        const classes = [/[a-z中]/.test(password) && /[a-z]/.test(password), /[A-Z]/.test(password), /[0-9]/.test(password), /[^a-zA-Z0-9]/.test(password)].filter(Boolean).length;
        const violations = checkPassword(password, username);
        expect(violations.includes('too_short')).toBe([...password].length < 8);
        expect(violations.includes('too_few_classes')).toBe(classes < 3);
        expect(violations.includes('contains_username')).toBe(username.length >= 3 && password.toLowerCase().includes(username));
      }),
    );
  });
});
