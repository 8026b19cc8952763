import { checkFormulas } from '../../../domain/benchmarking/formula';
import { parsePeriod } from '../../../domain/benchmarking/period';
import { wouldCreateCycle } from '../../../domain/scope';
import { mapColumns, type ColumnSpec, type MappedRecord } from '../../imports/columns';
import { parseNumber } from '../../imports/normalize';
import type { Table } from '../../imports/read-table';
import type { ImportKind, ImportRowError } from './imports.schemas';

/** The columns of each kind: English and Chinese header names (the first is used in templates). */
export const columnSpecs = {
  units: [
    { key: 'code', names: ['code', '单位编码'], required: true },
    { key: 'name', names: ['name', '单位名称'], required: true },
    { key: 'parent_code', names: ['parent_code', '上级单位编码'] },
    { key: 'kind', names: ['kind', '类型'], required: true },
    { key: 'name_en', names: ['name_en', '英文名称'] },
    { key: 'peer_class', names: ['peer_class', '对标分组'] },
  ],
  indicators: [
    { key: 'code', names: ['code', '指标编码'], required: true },
    { key: 'name', names: ['name', '指标名称'], required: true },
    { key: 'uom', names: ['uom', '计量单位'] },
    { key: 'direction', names: ['direction', '方向'], required: true },
    { key: 'aggregation', names: ['aggregation', '汇总方式'], required: true },
    { key: 'formula', names: ['formula', '公式'] },
    { key: 'precision', names: ['precision', '精度'] },
    { key: 'category', names: ['category', '类别'], required: true },
    { key: 'name_en', names: ['name_en', '英文名称'] },
    { key: 'scope', names: ['scope', '口径'] },
  ],
  assignments: [
    { key: 'unit_code', names: ['unit_code', '单位编码'], required: true },
    { key: 'indicator_code', names: ['indicator_code', '指标编码'], required: true },
    { key: 'weight', names: ['weight', '权重'] },
  ],
  measurements: [
    { key: 'unit_code', names: ['unit_code', '单位编码'], required: true },
    { key: 'indicator_code', names: ['indicator_code', '指标编码'], required: true },
    { key: 'period', names: ['period', '期间'], required: true },
    { key: 'value', names: ['value', '实际值'], required: true },
    { key: 'note', names: ['note', '备注'] },
  ],
  targets: [
    { key: 'unit_code', names: ['unit_code', '单位编码'], required: true },
    { key: 'indicator_code', names: ['indicator_code', '指标编码'], required: true },
    { key: 'period', names: ['period', '期间'], required: true },
    { key: 'floor', names: ['floor', '保底值'] },
    { key: 'target', names: ['target', '目标值'], required: true },
    { key: 'stretch', names: ['stretch', '奋斗值'] },
    { key: 'basis', names: ['basis', '依据'] },
  ],
  benchmarks: [
    { key: 'benchmark_code', names: ['benchmark_code', '标杆编码'], required: true },
    { key: 'benchmark_name', names: ['benchmark_name', '标杆名称'], required: true },
    { key: 'kind', names: ['kind', '类型'], required: true },
    { key: 'indicator_code', names: ['indicator_code', '指标编码'], required: true },
    { key: 'period', names: ['period', '期间'], required: true },
    { key: 'value', names: ['value', '标杆值'], required: true },
    { key: 'scope', names: ['scope', '口径'] },
    { key: 'source', names: ['source', '来源'] },
  ],
  // Energy meters (issue 5); the rows are checked and written by modules/energy/meters.import.ts.
  meters: [
    { key: 'code', names: ['code', '表计编码'], required: true },
    { key: 'name', names: ['name', '表计名称'], required: true },
    { key: 'carrier', names: ['carrier', '能源介质'], required: true },
    { key: 'kind', names: ['kind', '类型'], required: true },
    { key: 'uom', names: ['uom', '计量单位'], required: true },
    { key: 'unit_code', names: ['unit_code', '单位编码'], required: true },
    { key: 'rollover', names: ['rollover', '满量程'] },
    { key: 'multiplier', names: ['multiplier', '倍率'] },
    { key: 'parent_code', names: ['parent_code', '上级表计编码'] },
    { key: 'formula', names: ['formula', '公式'] },
    { key: 'interval_minutes', names: ['interval_minutes', '采集间隔'] },
  ],
  // Access control (issue 6): sites and checkpoints are checked and written by modules/sites/sites.import.ts,
  // people by modules/people/people.import.ts.
  sites: [
    { key: 'code', names: ['code', '编码', '小区编码'], required: true },
    { key: 'name', names: ['name', '名称', '小区名称'], required: true },
    { key: 'kind', names: ['kind', '类型'], required: true },
    { key: 'access_level', names: ['access_level', '管控级别'], required: true },
    { key: 'unit_code', names: ['unit_code', '单位编码'] },
    { key: 'name_en', names: ['name_en', '英文名称'] },
  ],
  checkpoints: [
    { key: 'code', names: ['code', '卡口编码'], required: true },
    { key: 'name', names: ['name', '名称', '卡口名称'], required: true },
    { key: 'site_code', names: ['site_code', '小区编码'], required: true },
    { key: 'opening_hours', names: ['opening_hours', '开放时间'] },
  ],
  people: [
    { key: 'code', names: ['code', '人员编码'], required: true },
    { key: 'name', names: ['name', '姓名'], required: true },
    { key: 'id_type', names: ['id_type', '证件类型'] },
    { key: 'id_number', names: ['id_number', '证件号码'] },
    { key: 'phone', names: ['phone', '手机号', '手机号码'] },
    { key: 'category', names: ['category', '类别'] },
    { key: 'unit_code', names: ['unit_code', '单位编码'] },
    { key: 'site_code', names: ['site_code', '小区编码'] },
    { key: 'household', names: ['household', '户号'] },
  ],
} as const satisfies Record<ImportKind, readonly ColumnSpec<string>[]>;

type Key<K extends ImportKind> = (typeof columnSpecs)[K][number]['key'];

/** Words a file may use for enumerations, in English or Chinese. */
const synonyms = {
  direction: { higher: ['higher', '越大越好', '越高越好', '正向'], lower: ['lower', '越小越好', '越低越好', '逆向'], band: ['band', '区间', '越接近越好'] },
  aggregation: { sum: ['sum', '求和', '累计'], avg: ['avg', 'average', '平均'], last: ['last', '期末', '最后'], formula: ['formula', '公式'] },
  category: {
    production: ['production', '生产'], quality: ['quality', '质量'], cost: ['cost', '成本'], energy: ['energy', '能源', '能耗'], safety: ['safety', '安全'],
    environment: ['environment', '环保', '环境'], people: ['people', '人力', '人员'], finance: ['finance', '财务'], market: ['market', '市场', '营销'], service: ['service', '服务'],
  },
  unitKind: { company: ['company', '公司'], division: ['division', '事业部'], plant: ['plant', '厂', '分厂'], workshop: ['workshop', '车间'], area: ['area', '工区'], team: ['team', '班组'], office: ['office', '部门', '科室'] },
  benchmarkKind: { peer: ['peer', '同行', '外部同行', '兄弟企业'], industry: ['industry', '行业', '行业先进', '国家标准'], world: ['world', '世界一流', '国际先进'] },
} as const;

function lookup<T extends Record<string, readonly string[]>>(table: T, text: string): keyof T | null {
  const t = text.trim().toLowerCase();
  for (const [k, words] of Object.entries(table)) if (words.some((w) => w.toLowerCase() === t)) return k as keyof T;
  return null;
}

/** Collects row errors while typed records are built. */
export class RowChecker<K extends string> {
  readonly errors: ImportRowError[] = [];
  constructor(private readonly headerOf: (key: K) => string) {}

  fail(rec: MappedRecord<K>, key: K, message: string): null {
    this.errors.push({ row: rec.row, column: this.headerOf(key), value: rec.get(key).slice(0, 200), message });
    return null;
  }
  text(rec: MappedRecord<K>, key: K, opts: { required?: boolean; max?: number; pattern?: RegExp; patternMessage?: string } = {}): string | null {
    const v = rec.get(key).trim();
    if (!v) return opts.required ? this.fail(rec, key, 'required') : '';
    if (v.length > (opts.max ?? 200)) return this.fail(rec, key, `at most ${opts.max ?? 200} characters`);
    if (opts.pattern && !opts.pattern.test(v)) return this.fail(rec, key, opts.patternMessage ?? 'not valid');
    return v;
  }
  number(rec: MappedRecord<K>, key: K, opts: { required?: boolean; min?: number; max?: number; integer?: boolean } = {}): number | null | undefined {
    const v = rec.get(key).trim();
    if (!v) return opts.required ? this.fail(rec, key, 'required') : undefined;
    const n = parseNumber(v);
    if (!n.ok) return this.fail(rec, key, n.message);
    if (opts.integer && !Number.isInteger(n.value)) return this.fail(rec, key, 'must be a whole number');
    if ((opts.min !== undefined && n.value < opts.min) || (opts.max !== undefined && n.value > opts.max)) return this.fail(rec, key, `must be between ${opts.min ?? '−∞'} and ${opts.max ?? '∞'}`);
    return n.value;
  }
  choice<T extends Record<string, readonly string[]>>(rec: MappedRecord<K>, key: K, table: T, required = true): keyof T | null | undefined {
    const v = rec.get(key).trim();
    if (!v) return required ? this.fail(rec, key, 'required') : undefined;
    const found = lookup(table, v);
    return found ?? this.fail(rec, key, `must be one of: ${Object.values(table).map((w) => `${w[0]}/${w[1]}`).join(', ')}`);
  }
}

export type Mapped<K extends ImportKind> =
  | { ok: true; records: MappedRecord<Key<K>>[]; recordsOf(rows: Table['rows']): MappedRecord<Key<K>>[]; check: RowChecker<Key<K>> }
  | { ok: false; errors: ImportRowError[] };

/** Maps a table's headers for a kind; the checker names columns as the file does. */
export function mapKind<K extends ImportKind>(kind: K, table: Table): Mapped<K> {
  const specs = columnSpecs[kind] as unknown as ColumnSpec<Key<K>>[];
  const mapped = mapColumns(table, specs);
  if (!mapped.ok) return { ok: false, errors: mapped.errors };
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  const headerOf = (key: Key<K>) => {
    const spec = specs.find((s) => s.key === key)!;
    return table.headers.find((h) => spec.names.some((n) => norm(n) === norm(h))) ?? spec.names[0]!;
  };
  return { ok: true, records: mapped.records, recordsOf: mapped.recordsOf, check: new RowChecker(headerOf) };
}

export const codePattern = /^[A-Z][A-Z0-9_-]{0,31}$/;
export const indicatorPattern = /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/;
export const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
export const periodOrYearPattern = /^\d{4}(-(0[1-9]|1[0-2]))?$/;

/** Normalises period text such as 2020-2, 2020/02, 2020年2月 to YYYY-MM; leaves other text as is. */
export function normalisePeriod(text: string): string {
  const t = text.trim();
  const m = /^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?$/.exec(t);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}`;
  const d = /^(\d{4})-(\d{2})-01$/.exec(t); // an Excel date cell of the first of a month
  if (d) return `${d[1]}-${d[2]}`;
  return t;
}

export { lookup, synonyms, checkFormulas, parsePeriod, wouldCreateCycle };
