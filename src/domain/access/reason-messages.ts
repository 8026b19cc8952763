/**
 * What the guard reads on the gate screen (and says to the person at the gate): the decision in
 * plain words, Chinese first. Shared by the server's answers and the offline gate app.
 */
import type { DenyReason } from './gate-decision';

export type GateLocale = 'zh-CN' | 'en-US';

const messages: Record<DenyReason | 'ALLOW', { 'zh-CN': string; 'en-US': string }> = {
  ALLOW: { 'zh-CN': '准许通行', 'en-US': 'Allowed' },
  NO_PASS: { 'zh-CN': '无通行证，请回家取证', 'en-US': 'No pass: please fetch your pass' },
  PASS_EXPIRED: { 'zh-CN': '通行证不在有效期内，请到管理处办理', 'en-US': 'Pass not valid today: please renew it at the office' },
  PASS_REVOKED: { 'zh-CN': '通行证已作废，禁止通行', 'en-US': 'Pass revoked: entry refused' },
  PASS_SUSPENDED: { 'zh-CN': '通行证已暂停使用，请到管理处了解情况', 'en-US': 'Pass suspended: please ask at the office' },
  WRONG_SITE: { 'zh-CN': '不是本小区（厂区）的通行证', 'en-US': 'This pass is for another site' },
  OUTSIDE_HOURS: { 'zh-CN': '不在通行时段内，请在开放时间通行', 'en-US': 'Outside the permitted hours: please come back in opening hours' },
  SITE_CLOSED: { 'zh-CN': '封闭管理中，仅限必要人员通行', 'en-US': 'Site closed: essential personnel only' },
  FEVER: { 'zh-CN': '体温异常（≥37.3℃），禁止进入，已登记异常情况', 'en-US': 'Temperature too high (≥ 37.3 °C): entry refused, an abnormal case is recorded' },
  HEALTH_RED: { 'zh-CN': '健康状态为红色，禁止进入，已登记异常情况', 'en-US': 'Health status red: entry refused, an abnormal case is recorded' },
  HOUSEHOLD_QUOTA: { 'zh-CN': '本户外出名额已用完，请改日外出', 'en-US': 'Household outing quota used up: please go out another day' },
  BLOCKED: { 'zh-CN': '已列入禁止通行名单，禁止进入', 'en-US': 'On the block list: entry refused' },
  VISITOR_NOT_APPROVED: { 'zh-CN': '访客未获预约批准，请联系被访人', 'en-US': 'Visit not approved: please contact your host' },
};

/**
 * The plain-word message of a decision: the reason's (deny) or the allow message (null). The
 * fever message names the default threshold; a site with another threshold may pass it.
 */
export function reasonMessage(reason: DenyReason | null, locale: GateLocale, feverThresholdC = 37.3): string {
  const text = messages[reason ?? 'ALLOW'][locale];
  return reason === 'FEVER' && feverThresholdC !== 37.3 ? text.replace('37.3', feverThresholdC.toFixed(1)) : text;
}

/** The locale of an Accept-Language header: English when it prefers English, Chinese otherwise. */
export function gateLocale(acceptLanguage: string | undefined | null): GateLocale {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q)[0];
  return first?.tag.startsWith('en') ? 'en-US' : 'zh-CN';
}
