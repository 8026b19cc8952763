import type { Scope } from '../domain/scope';

/** Every permission a route can require, with its labels. */
export const permissions = {
  'unit.read': ['查看组织', 'View organisation'],
  'unit.write': ['维护组织', 'Maintain organisation'],
  'user.read': ['查看账号', 'View accounts'],
  'user.write': ['维护账号', 'Maintain accounts'],
  'user.security': ['账号安全管理（角色、锁定、重置）', 'Account security (roles, locks, resets)'],
  'role.read': ['查看角色', 'View roles'],
  'role.write': ['维护角色', 'Maintain roles'],
  'person.read': ['查看人员', 'View people'],
  'person.write': ['维护人员', 'Maintain people'],
  'audit.read': ['查看审计日志', 'Read the audit log'],
  'audit.export': ['导出审计日志', 'Export the audit log'],
  'indicator.read': ['查看指标与对标', 'View indicators and scorecards'],
  'indicator.write': ['维护指标库、标杆与目标', 'Maintain indicators, benchmarks and targets'],
  'measurement.enter': ['填报实绩', 'Enter actuals'],
  'measurement.approve': ['审核实绩', 'Approve actuals'],
  'period.lock': ['关闭与重开期间', 'Close and reopen periods'],
  'import.run': ['导入数据（按类型另需相应权限）', 'Import files (each kind also needs its own permission)'],
  'problem.read': ['查看问题、督办与通报', 'View problems, supervision and notices'],
  'problem.write': ['登记问题、制定措施、反馈进展', 'Raise problems, plan measures, report progress'],
  'supervision.write': ['下达督办、审核销号', 'Assign supervision items and review closure'],
  'evaluation.write': ['维护考核方案、劳动竞赛与计件', 'Maintain evaluation schemes, competitions and piece rates'],
  'improvement.review': ['评审金点子、维护闲置资产台账', 'Review ideas and keep the idle-asset ledger'],
  'access.read': ['查看出入管理（小区、人员登记、通行证、卡口、出入记录）', 'View access control (sites, registry, passes, checkpoints, gate events)'],
  'access.write': ['维护小区、人员登记、通行证、卡口、访客、黑名单、车辆与排班', 'Maintain sites, registry, passes, checkpoints, visitors, block list, vehicles and duty'],
  'gate.operate': ['卡口值守（核验通行、出入登记）', 'Run a gate (check passes, register entries and exits)'],
  'personal.unmask': ['查看完整证件号码与手机号（须填写理由，留痕）', 'See full ID and phone numbers (with a reason, audited)'],
  'health.read': ['查看疫情防控（健康卡、异常情况、接触者、隔离、转运、物资、日报）', 'View health surveillance (declarations, cases, contacts, quarantines, transfers, supplies, briefings)'],
  'health.write': ['疫情处置（病例、接触者、隔离、转运、返岗审核、物资、捐款、志愿者）', 'Manage cases, contacts, quarantines, transfers, screening, supplies, donations and volunteers'],
  'health.declare': ['代为填报健康卡、提醒未填报人员、记录随访（网格员）', 'Declare for others, remind them and record follow-up checks (grid workers)'],
  'health.admin': ['管理应急事件、状态规则、申诉复核与数据清除', 'Manage incidents, status rules, contest reviews and purges'],
} as const satisfies Record<string, readonly [string, string]>;

export type Permission = keyof typeof permissions;
export const permissionCodes = Object.keys(permissions) as Permission[];

/**
 * What a route needs: no one, anyone signed in, a permission, or a gate device's bearer token
 * (`device`: the gate routes; a guard's session cookie beside it names the guard).
 */
export type RouteAccess = 'public' | 'authenticated' | 'device' | Permission;

export interface BuiltInRole {
  code: string;
  nameZh: string;
  nameEn: string;
  scope: Scope;
  permissions: Permission[];
}

/** The three administrators are mutually exclusive (三员分立). */
export const separatedRoles = ['system-admin', 'security-admin', 'audit-admin'] as const;

/**
 * The duty each administrative permission belongs to. One user's roles, taken together, may carry
 * permissions of at most one duty, so custom roles cannot rebuild a combined administrator.
 */
const duties: Partial<Record<Permission, 'system' | 'security' | 'audit'>> = {
  'unit.write': 'system',
  'user.write': 'system',
  'person.write': 'system',
  'user.security': 'security',
  'role.write': 'security',
  'audit.read': 'audit',
  'audit.export': 'audit',
};

/** The administrative duties a set of permissions spans (三员分立 allows one). */
export function dutiesOf(perms: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const p of perms) {
    const d = duties[p as Permission];
    if (d) out.add(d);
  }
  return [...out].sort();
}

export const builtInRoles: BuiltInRole[] = [
  {
    code: 'system-admin',
    nameZh: '系统管理员',
    nameEn: 'System administrator',
    scope: 'all',
    permissions: ['unit.read', 'unit.write', 'user.read', 'user.write', 'role.read', 'person.read', 'person.write', 'import.run'],
  },
  {
    code: 'security-admin',
    nameZh: '安全管理员',
    nameEn: 'Security administrator',
    scope: 'all',
    permissions: ['unit.read', 'user.read', 'user.security', 'role.read', 'role.write'],
  },
  { code: 'audit-admin', nameZh: '审计管理员', nameEn: 'Audit administrator', scope: 'all', permissions: ['audit.read', 'audit.export'] },
  {
    code: 'group-manager',
    nameZh: '集团管理者',
    nameEn: 'Group manager',
    scope: 'all',
    permissions: [
      'unit.read', 'user.read', 'person.read', 'indicator.read', 'indicator.write', 'measurement.approve', 'period.lock', 'import.run',
      'problem.read', 'problem.write', 'supervision.write', 'evaluation.write', 'improvement.review', 'access.read',
    ],
  },
  {
    code: 'unit-leader',
    nameZh: '单位领导',
    nameEn: 'Unit leader',
    scope: 'subtree',
    permissions: [
      'unit.read', 'user.read', 'person.read', 'person.write', 'indicator.read', 'measurement.enter', 'measurement.approve', 'import.run',
      'problem.read', 'problem.write', 'supervision.write', 'improvement.review', 'access.read',
    ],
  },
  { code: 'unit-clerk', nameZh: '单位填报员', nameEn: 'Unit clerk', scope: 'own', permissions: ['unit.read', 'person.read', 'indicator.read', 'measurement.enter', 'import.run', 'problem.read', 'problem.write'] },
  {
    code: 'access-admin',
    nameZh: '出入管理员',
    nameEn: 'Access administrator',
    scope: 'subtree',
    permissions: ['unit.read', 'person.read', 'access.read', 'access.write', 'personal.unmask', 'import.run'],
  },
  { code: 'guard', nameZh: '门岗值守员', nameEn: 'Gate guard', scope: 'own', permissions: ['access.read', 'gate.operate'] },
  {
    code: 'health-admin',
    nameZh: '防疫管理员',
    nameEn: 'Health administrator',
    scope: 'subtree',
    permissions: ['unit.read', 'person.read', 'access.read', 'health.read', 'health.write', 'health.declare', 'health.admin', 'personal.unmask'],
  },
  { code: 'grid-worker', nameZh: '网格员', nameEn: 'Grid worker', scope: 'own', permissions: ['unit.read', 'person.read', 'access.read', 'health.read', 'health.declare'] },
  { code: 'viewer', nameZh: '只读用户', nameEn: 'Viewer', scope: 'subtree', permissions: ['unit.read', 'indicator.read', 'problem.read'] },
];
