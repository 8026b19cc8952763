import { describe, expect, it } from 'vitest';
import { denyReasons } from './gate-decision';
import { gateLocale, reasonMessage } from './reason-messages';

describe('reason messages', () => {
  it('says allow and the main reasons in plain words, Chinese and English', () => {
    expect(reasonMessage(null, 'zh-CN')).toBe('准许通行');
    expect(reasonMessage(null, 'en-US')).toBe('Allowed');
    expect(reasonMessage('NO_PASS', 'zh-CN')).toBe('无通行证，请回家取证');
    expect(reasonMessage('NO_PASS', 'en-US')).toBe('No pass: please fetch your pass');
    expect(reasonMessage('FEVER', 'zh-CN')).toBe('体温异常（≥37.3℃），禁止进入，已登记异常情况');
    expect(reasonMessage('PASS_REVOKED', 'zh-CN')).toBe('通行证已作废，禁止通行');
  });

  it('has a distinct, non-empty message for every reason in both languages', () => {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      const texts = denyReasons.map((r) => reasonMessage(r, locale));
      for (const t of texts) expect(t.trim().length).toBeGreaterThan(3);
      expect(new Set(texts).size).toBe(denyReasons.length);
      expect(texts).not.toContain(reasonMessage(null, locale));
    }
    // Chinese messages are Chinese, English ones have no Chinese characters.
    for (const r of denyReasons) {
      expect(reasonMessage(r, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
      expect(reasonMessage(r, 'en-US')).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('names a site’s own fever threshold', () => {
    expect(reasonMessage('FEVER', 'zh-CN', 37.5)).toBe('体温异常（≥37.5℃），禁止进入，已登记异常情况');
    expect(reasonMessage('FEVER', 'en-US', 38)).toContain('≥ 38.0 °C');
  });

  it('reads the locale from Accept-Language: Chinese unless English is preferred', () => {
    expect(gateLocale(undefined)).toBe('zh-CN');
    expect(gateLocale('')).toBe('zh-CN');
    expect(gateLocale('en-US,en;q=0.9')).toBe('en-US');
    expect(gateLocale('en')).toBe('en-US');
    expect(gateLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(gateLocale('zh;q=0.5, en;q=0.9')).toBe('en-US');
    expect(gateLocale('fr-FR')).toBe('zh-CN');
    expect(gateLocale('en;q=0')).toBe('zh-CN');
  });
});
