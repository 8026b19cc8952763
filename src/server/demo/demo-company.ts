import type { UnitKind } from '../modules/units/units.schemas';

/**
 * The organisation of the producer in the source newspaper (劲旅, 17 March 2020): two companies
 * sharing headquarters departments. Codes are short and stable; docs/demo-company.md lists them.
 */
export const demoUnits: { code: string; parent: string | null; kind: UnitKind; zh: string; en: string; peerClass?: string }[] = [
  { code: 'GRP', parent: null, kind: 'company', zh: '山西新材料·山西铝业（两公司）', en: 'Shanxi New Materials & Shanxi Aluminium' },
  { code: 'XCL', parent: 'GRP', kind: 'company', zh: '中铝山西新材料有限公司', en: 'Chalco Shanxi New Materials Co.' },
  { code: 'SXLY', parent: 'GRP', kind: 'company', zh: '山西铝业有限公司', en: 'Shanxi Aluminium Co.' },
  { code: 'YH1', parent: 'SXLY', kind: 'plant', zh: '第一氧化铝厂', en: 'No.1 Alumina Plant', peerClass: 'bayer' },
  { code: 'YH1-BS', parent: 'YH1', kind: 'area', zh: '焙烧工区', en: 'Calcination Area' },
  { code: 'YH1-RC', parent: 'YH1', kind: 'workshop', zh: '溶出车间', en: 'Digestion Workshop' },
  { code: 'YH2', parent: 'SXLY', kind: 'plant', zh: '第二氧化铝厂', en: 'No.2 Alumina Plant', peerClass: 'bayer' },
  { code: 'YH2-RC', parent: 'YH2', kind: 'workshop', zh: '溶出车间', en: 'Digestion Workshop' },
  { code: 'YH2-CP', parent: 'YH2', kind: 'workshop', zh: '成品车间', en: 'Finished Product Workshop' },
  { code: 'YH3', parent: 'SXLY', kind: 'plant', zh: '第三氧化铝厂', en: 'No.3 Alumina Plant', peerClass: 'combined' },
  { code: 'JXYH', parent: 'SXLY', kind: 'plant', zh: '精细氧化铝', en: 'Fine Alumina Plant' },
  { code: 'KY', parent: 'SXLY', kind: 'company', zh: '矿业公司', en: 'Mining Company' },
  { code: 'KY-SHS', parent: 'KY', kind: 'plant', zh: '石灰石矿', en: 'Limestone Mine' },
  { code: 'WL', parent: 'SXLY', kind: 'division', zh: '物流运输事业部', en: 'Logistics & Transport Division' },
  { code: 'JA', parent: 'SXLY', kind: 'company', zh: '建安公司', en: 'Construction & Installation Company' },
  { code: 'DJ1', parent: 'XCL', kind: 'plant', zh: '电解一厂', en: 'No.1 Electrolysis Plant', peerClass: '400kA' },
  { code: 'DJ1-DJ', parent: 'DJ1', kind: 'workshop', zh: '电解车间', en: 'Potline Workshop' },
  { code: 'DJ1-ZZ', parent: 'DJ1', kind: 'workshop', zh: '铸造车间', en: 'Casting Workshop' },
  { code: 'DJ1-DJ-A1', parent: 'DJ1-DJ', kind: 'area', zh: '一工区', en: 'Work Area 1' },
  { code: 'DL', parent: 'XCL', kind: 'plant', zh: '动力厂', en: 'Power Plant' },
  { code: 'RD', parent: 'XCL', kind: 'plant', zh: '热电分厂', en: 'Thermal Power Plant' },
  { code: 'RD-RH', parent: 'RD', kind: 'area', zh: '燃化工区', en: 'Fuel & Chemistry Area' },
  { code: 'TS', parent: 'XCL', kind: 'division', zh: '炭素事业部', en: 'Carbon Division' },
  { code: 'LJG', parent: 'XCL', kind: 'division', zh: '铝加工事业部', en: 'Aluminium Processing Division' },
  { code: 'YX', parent: 'GRP', kind: 'office', zh: '营销管理部', en: 'Marketing Management Department' },
  { code: 'SJY', parent: 'GRP', kind: 'office', zh: '设计院', en: 'Design Institute' },
  { code: 'RLZY', parent: 'GRP', kind: 'office', zh: '人力资源部', en: 'Human Resources Department' },
  { code: 'SJ', parent: 'GRP', kind: 'office', zh: '审计部', en: 'Audit Department' },
  { code: 'AQHB', parent: 'GRP', kind: 'office', zh: '安全环保部', en: 'Safety & Environmental Protection Department' },
  { code: 'WZBW', parent: 'GRP', kind: 'office', zh: '武装保卫部', en: 'Security & Armed Protection Department' },
  { code: 'JW', parent: 'GRP', kind: 'office', zh: '纪委', en: 'Discipline Inspection Office' },
  { code: 'SHFW', parent: 'GRP', kind: 'office', zh: '生活服务中心', en: 'Community Services Centre' },
  { code: 'HQFW', parent: 'GRP', kind: 'office', zh: '后勤服务中心', en: 'Logistics Services Centre' },
  { code: 'JSYF', parent: 'GRP', kind: 'office', zh: '技术研发中心', en: 'Technology R&D Centre' },
  { code: 'ZBZZ', parent: 'GRP', kind: 'office', zh: '装备制造部', en: 'Equipment Manufacturing Department' },
  { code: 'ZGYY', parent: 'GRP', kind: 'office', zh: '职工医院', en: 'Staff Hospital' },
];

/** Demo accounts, all with the password Demo#2020, only ever created in demo mode. */
export const demoAccounts: { username: string; displayName: string; role: string; unit: string }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'system-admin', unit: 'GRP' },
  { username: 'security', displayName: '安全管理员', role: 'security-admin', unit: 'GRP' },
  { username: 'auditor', displayName: '审计管理员', role: 'audit-admin', unit: 'SJ' },
  { username: 'manager', displayName: '集团经理', role: 'group-manager', unit: 'GRP' },
  { username: 'leader', displayName: '电解一厂厂长', role: 'unit-leader', unit: 'DJ1' },
  { username: 'clerk', displayName: '电解一厂统计员', role: 'unit-clerk', unit: 'DJ1' },
  { username: 'viewer', displayName: '只读用户', role: 'viewer', unit: 'GRP' },
  { username: 'access', displayName: '出入管理员', role: 'access-admin', unit: 'WZBW' },
  { username: 'guard', displayName: '门岗值守员', role: 'guard', unit: 'WZBW' },
  { username: 'health', displayName: '防疫管理员', role: 'health-admin', unit: 'GRP' },
  { username: 'grid', displayName: '网格员', role: 'grid-worker', unit: 'WZBW' },
];

/**
 * People of the demo company who own measures and supervision items (责任人). Those with a
 * username are the demo accounts' own person records; cadres (干部) get a pay coefficient.
 */
export const demoPeople: { code: string; name: string; unit: string; username?: string; cadre: boolean }[] = [
  { code: 'E0001', name: '电解一厂厂长', unit: 'DJ1', username: 'leader', cadre: true },
  { code: 'E0002', name: '电解一厂统计员', unit: 'DJ1', username: 'clerk', cadre: false },
  { code: 'E0003', name: '集团经理', unit: 'GRP', username: 'manager', cadre: true },
  { code: 'E0101', name: '氧化铝一厂厂长', unit: 'YH1', cadre: true },
  { code: 'E0102', name: '氧化铝二厂厂长', unit: 'YH2', cadre: true },
  { code: 'E0103', name: '氧化铝三厂厂长', unit: 'YH3', cadre: true },
];
