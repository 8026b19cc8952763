import { createHash } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Deps, RequestContext, Tx } from '../../context';
import { AppError, forbidden } from '../../errors';
import type { MappedRecord } from '../../imports/columns';
import { ImportFileError, readTable, type Table } from '../../imports/read-table';
import type { RowSink } from '../../imports/table-builder';
import { writeCsv, writeXlsx } from '../../imports/export-table';
import { levelOrderProblem } from '../../../domain/benchmarking/targets';
import { audit } from '../audit/audit.service';
import { listIndicators } from '../indicators/indicators.repository';
import { listUnits } from '../units/units.repository';
import type { RowChecker } from './imports.kinds';
import {
  checkFormulas,
  codePattern,
  columnSpecs,
  indicatorPattern,
  mapKind,
  monthPattern,
  normalisePeriod,
  periodOrYearPattern,
  synonyms,
  wouldCreateCycle,
} from './imports.kinds';
import { importProgressBoard, type ProgressReporter } from './import-progress';
import { importMeters, type MeterRowChecker } from '../energy/meters.import';
import { importCheckpoints, importSites, type CheckpointImportKey, type SiteImportKey } from '../sites/sites.import';
import { importPeople, type PeopleImportKey, type PeopleRowChecker } from '../people/people.import';
import type { ImportKind, ImportResult, ImportRowError } from './imports.schemas';

/** Thrown inside the transaction of a dry run, so nothing is kept. */
class DryRunRollback extends Error {
  constructor(readonly applied: Applied) {
    super('dry run');
  }
}
type Counts = { inserted: number; updated: number; unchanged: number };

/** The permission each kind needs. */
const kindPermission: Record<ImportKind, string> = {
  units: 'unit.write',
  indicators: 'indicator.write',
  assignments: 'indicator.write',
  measurements: 'measurement.enter',
  targets: 'indicator.write',
  benchmarks: 'indicator.write',
  meters: 'indicator.write',
  sites: 'access.write',
  checkpoints: 'access.write',
  people: 'access.write',
};

const same = (a: unknown, b: unknown) => String(a ?? '') === String(b ?? '');

/**
 * One import at a time per user (issue 8 item 3, AV-3), refused rather than queued: a second
 * upload while the first runs answers 409 IMPORT_IN_PROGRESS at once. Queueing would keep the
 * upload's connection (and a database connection) waiting for minutes against the request timeout,
 * with no way for the page to tell "queued" from "hung"; an import is all or nothing, so sending
 * the file again later is safe. In this process a Set says it before the file is even read; across
 * servers a PostgreSQL advisory lock on (this class, the user) taken inside the import's
 * transaction says it before anything is written (7262001 = migrations, 7262002 = the audit chain).
 */
const importLockClass = 7262003;
const importInProgress = () =>
  new AppError(409, 'IMPORT_IN_PROGRESS', 'Your previous import is still running; this file was not imported. Wait until the first one has finished, then send this one again');

/** Takes the user's import lock for the transaction, or refuses when another server's import holds it. */
async function lockImportsOf(trx: Tx, userId: string): Promise<void> {
  const { rows } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${importLockClass}, hashtext(${userId})) AS ok`.execute(trx);
  if (!rows[0]?.ok) throw importInProgress();
}

/** Work to run once an import of measurements has committed (the warnings scan); it must not throw. */
export interface ImportHooks {
  afterMeasurementsImported?: () => Promise<void>;
}

/** What the rows of every kind are checked against: the actor's scope, the units and the indicator library. */
async function lookups(trx: Tx, actor: Actor) {
  const scope = await visibleUnitIds(trx, actor);
  const units = await listUnits(trx);
  const library = await listIndicators(trx);
  return { scope, units, unitByCode: new Map(units.map((u) => [u.code, u])), library, indByCode: new Map(library.map((i) => [i.code, i])) };
}
type Lookups = Awaited<ReturnType<typeof lookups>>;

/** The checks most kinds share: a row repeating an earlier row's key, a unit in scope, a known indicator. */
function rowRules({ scope, unitByCode, indByCode }: Lookups, c: RowChecker<string>) {
  const dup = new Map<string, number>();
  return {
    duplicate(rec: { row: number }, key: string, column: string, value: string): boolean {
      const first = dup.get(key);
      if (first !== undefined) {
        c.errors.push({ row: rec.row, column, value, message: `duplicates row ${first}` });
        return true;
      }
      dup.set(key, rec.row);
      return false;
    },
    visibleUnit(rec: MappedRecord<string>, key: string) {
      const code = c.text(rec, key, { required: true, max: 32 });
      if (code === null) return null;
      const u = unitByCode.get(code);
      if (!u || !inScope(scope, u.id)) return c.fail(rec, key, `no unit ${code} in your scope`);
      return u;
    },
    indicator(rec: MappedRecord<string>, key: string) {
      const code = c.text(rec, key, { required: true, max: 64 });
      if (code === null) return null;
      return indByCode.get(code) ?? c.fail(rec, key, `no indicator ${code}`);
    },
  };
}

/** Reads an uploaded file (see readTable), answering a refused file with its 413 or 422. */
async function readUpload(file: Buffer, filename: string, onRows?: RowSink): Promise<Table> {
  try {
    return await readTable(file, { filename, ...(onRows ? { onRows } : {}) });
  } catch (e) {
    if (e instanceof ImportFileError) throw new AppError(e.code === 'FILE_TOO_LARGE' ? 413 : 422, e.code, e.message);
    throw e;
  }
}

/** New measurements as column arrays (unnest): one statement for many rows, a handful of parameters. */
async function insertMeasurements(trx: Tx, rows: Insertable<DB['measurements']>[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await sql`
    INSERT INTO measurements (unit_id, indicator_id, period, value, note, status, source, suspect, entered_by, approved_by, approved_at, created_at, updated_at)
    SELECT * FROM unnest(${col((r) => r.unit_id)}::uuid[], ${col((r) => r.indicator_id)}::uuid[], ${col((r) => r.period)}::text[], ${col((r) => String(r.value))}::numeric[],
      ${col((r) => r.note ?? '')}::text[], ${col((r) => r.status ?? 'submitted')}::text[], ${col((r) => r.source ?? 'import')}::text[], ${col((r) => Boolean(r.suspect))}::boolean[],
      ${col((r) => r.entered_by ?? null)}::uuid[], ${col((r) => r.approved_by ?? null)}::uuid[], ${col((r) => (r.approved_at ? new Date(r.approved_at).toISOString() : null))}::timestamptz[],
      ${col(() => now.toISOString())}::timestamptz[], ${col(() => now.toISOString())}::timestamptz[])`.execute(trx);
}

type Applied = { counts: Counts; errors: ImportRowError[]; rows: number; format: Table['format'] };

/**
 * Imports measurements while the file is read, inside the caller's transaction: each batch of
 * rows is checked as it arrives and written while the next is read, so a large file costs about
 * its reading or its writing, whichever is longer, rather than both. After the first error
 * nothing more is written but every row is still checked (the report lists them all), and the
 * caller rolls the transaction back. Existing values are looked up per period, once, before that
 * period's first write, so they are the values from before the import.
 */
async function streamMeasurements(trx: Tx, actor: Actor, now: Date, file: Buffer, filename: string, report: ProgressReporter): Promise<Applied> {
  const l = await lookups(trx, actor);
  const approver = actor.permissions.has('measurement.approve');
  const status = approver ? 'approved' : 'submitted';
  const assigned = new Set((await trx.selectFrom('indicator_assignments').select(['unit_id', 'indicator_id']).execute()).map((a) => `${a.unit_id}/${a.indicator_id}`));
  const locked = new Set((await trx.selectFrom('periods').select('period').where('locked', '=', true).execute()).map((p) => p.period));
  type Old = { id: string; value: string; note: string; status: string; version: number };
  const existing = new Map<string, Old>();
  const looked = new Set<string>();
  const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
  // The header's mapping, made when the first batch arrives; its checker collects every row's errors.
  const state = { mapping: null as { check: RowChecker<string>; rules: ReturnType<typeof rowRules>; recordsOf: (rows: Table['rows']) => MappedRecord<string>[] } | null, headerErrors: null as ImportRowError[] | null };
  let rows = 0;
  let toWrite = 0;
  let reading = true;
  /** Data rows the worksheet declares, for the progress bar (null: unknown, or a CSV). */
  let expectedRows: number | null = null;
  // Batches are settled one after another on the transaction's connection while reading goes on.
  let settled: Promise<void> = Promise.resolve();
  let failure: unknown = null;

  const checkRow = (check: RowChecker<string>, r: ReturnType<typeof rowRules>) => (rec: MappedRecord<string>) => {
    const unit = r.visibleUnit(rec, 'unit_code');
    const ind = r.indicator(rec, 'indicator_code');
    const periodText = normalisePeriod(rec.get('period'));
    const period = monthPattern.test(periodText) ? periodText : check.fail(rec, 'period', 'a month, YYYY-MM');
    const value = check.number(rec, 'value', { required: true, min: -1e15, max: 1e15 });
    const note = check.text(rec, 'note', { max: 1000 });
    if (!unit || !ind || !period || value === null || value === undefined || note === null) return [];
    if (ind.aggregation === 'formula') return check.fail(rec, 'indicator_code', `${ind.code} is computed from its inputs (${ind.formula}); import its inputs instead`) ? [] : [];
    if (!assigned.has(`${unit.id}/${ind.id}`)) return check.fail(rec, 'indicator_code', `${ind.code} is not in the indicator set of ${unit.code}`) ? [] : [];
    if (locked.has(period)) return check.fail(rec, 'period', `${period} is closed`) ? [] : [];
    const outside = (ind.rangeMin !== null && value < ind.rangeMin) || (ind.rangeMax !== null && value > ind.rangeMax);
    if (outside && !note) return check.fail(rec, 'value', `outside the reasonable range ${ind.rangeMin ?? '−∞'} … ${ind.rangeMax ?? '∞'}: add a note`) ? [] : [];
    if (r.duplicate(rec, `${unit.code}/${ind.code}/${period}`, 'period', period)) return [];
    return [{ rec, unit, ind, period, value, note, outside }];
  };
  type Row = ReturnType<ReturnType<typeof checkRow>>[number];
  const progress = () => {
    const written = counts.inserted + counts.updated + counts.unchanged;
    // Rows are written while the file is still read, so `written` counts from the start.
    if (reading) report({ phase: 'reading', rows, written, toWrite: null, ...(expectedRows ? { expectedRows } : {}) });
    // With errors nothing more is written: the rows are only checked, for the report.
    else if (state.headerErrors || state.mapping?.check.errors.length) report({ phase: 'checking', rows, written: null, toWrite: null });
    else report({ phase: 'writing', rows, written, toWrite });
  };

  async function settle(check: RowChecker<string>, batch: Row[]): Promise<void> {
    const periods = [...new Set(batch.map((r) => r.period))].filter((p) => !looked.has(p));
    if (periods.length) {
      for (const p of periods) looked.add(p);
      const found = await trx.selectFrom('measurements').select(['id', 'unit_id', 'indicator_id', 'period', 'value', 'note', 'status', 'version']).where('period', 'in', periods).execute();
      for (const m of found) existing.set(`${m.unit_id}/${m.indicator_id}/${m.period}`, m);
    }
    for (const r of batch) {
      const old = existing.get(`${r.unit.id}/${r.ind.id}/${r.period}`);
      if (old?.status === 'approved' && !(Number(old.value) === r.value && old.note === r.note)) check.fail(r.rec, 'value', 'this value is approved; reopen it before changing it');
      else if (old?.status === 'submitted' && !approver && !(Number(old.value) === r.value && old.note === r.note)) check.fail(r.rec, 'value', 'this value is waiting for approval');
    }
    if (check.errors.length) return;
    const inserts: Insertable<DB['measurements']>[] = [];
    for (const r of batch) {
      const old = existing.get(`${r.unit.id}/${r.ind.id}/${r.period}`);
      if (old && Number(old.value) === r.value && old.note === r.note && (old.status === status || old.status === 'approved')) {
        counts.unchanged++;
        continue;
      }
      const fields = { value: r.value, note: r.note, status, source: 'import', suspect: r.outside, entered_by: actor.userId, updated_at: now, return_comment: null, approved_by: approver ? actor.userId : null, approved_at: approver ? now : null };
      if (old) {
        await trx.updateTable('measurements').set({ ...fields, version: old.version + 1 }).where('id', '=', old.id).execute();
        counts.updated++;
        if (counts.updated % 1000 === 0) progress();
      } else {
        inserts.push({ unit_id: r.unit.id, indicator_id: r.ind.id, period: r.period, created_at: now, ...fields });
      }
    }
    await insertMeasurements(trx, inserts, now);
    counts.inserted += inserts.length;
    progress();
  }

  const onRows: RowSink = (batch, header) => {
    if (rows === 0 && header.declaredLastRow !== null) expectedRows = Math.max(0, header.declaredLastRow - header.headerRow);
    rows += batch.length;
    progress();
    if (state.headerErrors || failure) return;
    if (!state.mapping) {
      const mapped = mapKind('measurements', { format: 'csv', ...header, rows: [] });
      if (!mapped.ok) {
        state.headerErrors = mapped.errors;
        return;
      }
      const check = mapped.check as unknown as RowChecker<string>;
      state.mapping = { check, rules: rowRules(l, check), recordsOf: mapped.recordsOf };
    }
    const { check, rules, recordsOf } = state.mapping;
    const valid = recordsOf(batch).flatMap(checkRow(check, rules));
    toWrite += valid.length;
    // After a database error the transaction is lost: later batches are not sent.
    const earlier = settled;
    settled = settled
      .then(() => (failure ? undefined : settle(check, valid)))
      .catch((e: unknown) => {
        failure ??= e;
      });
    // Reading goes on while this batch is written, once the batches before it are: when the
    // database is the slower side, memory holds two batches rather than the rest of the file.
    return earlier;
  };

  let table: Table;
  try {
    table = await readUpload(file, filename, onRows);
    // Read to the end: what is left is writing (all of it for a CSV, which is parsed at once).
    reading = false;
    progress();
  } finally {
    // Nothing may still run on the transaction once this returns or throws.
    await settled;
  }
  progress();
  if (failure) throw failure;
  if (!state.headerErrors && !state.mapping) {
    // A header without data rows: the columns are still checked.
    const mapped = mapKind('measurements', table);
    if (!mapped.ok) state.headerErrors = mapped.errors;
  }
  return { counts, errors: state.headerErrors ?? state.mapping?.check.errors ?? [], rows, format: table.format };
}

export function importService(deps: Deps, hooks: ImportHooks = {}) {
  const { db } = deps.database;
  const { clock } = deps;
  const running = new Set<string>();
  const progress = importProgressBoard(() => clock.now());

  /** Validates every row against the file and the database, then applies all rows or none (measurements: streamMeasurements). */
  async function apply(trx: Tx, ctx: RequestContext, actor: Actor, kind: Exclude<ImportKind, 'measurements'>, table: Table): Promise<Applied> {
    const mapped = mapKind(kind, table);
    if (!mapped.ok) return { counts: { inserted: 0, updated: 0, unchanged: 0 }, errors: mapped.errors, rows: table.rows.length, format: table.format };
    const { records } = mapped;
    const now = clock.now();
    const l = await lookups(trx, actor);
    const { scope, units, unitByCode, library, indByCode } = l;
    const counts: Counts = { inserted: 0, updated: 0, unchanged: 0 };
    // One checker for every kind: its key type is each kind's column keys, all strings.
    const c = mapped.check as unknown as RowChecker<string>;
    const { duplicate, visibleUnit, indicator } = rowRules(l, c);
    const done = () => ({ counts, errors: c.errors, rows: records.length, format: table.format });

    if (kind === 'units') {
      const parents = new Map(units.map((u) => [u.id, u.parent_id]));
      const rows = records.flatMap((rec) => {
        const code = c.text(rec, 'code', { required: true, max: 32, pattern: codePattern, patternMessage: 'capital letters, digits, _ or -, starting with a letter' });
        const name = c.text(rec, 'name', { required: true, max: 100 });
        const kindValue = c.choice(rec, 'kind', synonyms.unitKind);
        const parentCode = c.text(rec, 'parent_code', { max: 32 });
        const nameEn = c.text(rec, 'name_en', { max: 200 });
        const peerClass = c.text(rec, 'peer_class', { max: 50 });
        if (code === null || name === null || !kindValue || parentCode === null || nameEn === null || peerClass === null) return [];
        if (duplicate(rec, code, 'code', code)) return [];
        // Without a peer_class column a unit keeps its class; with one, an empty cell clears it.
        return [{ rec, code, name, kind: kindValue as string, parentCode, nameEn: nameEn || name, peerClass: rec.has('peer_class') ? peerClass : null }];
      });
      const fileCodes = new Set(rows.map((r) => r.code));
      for (const r of rows) {
        if (!r.parentCode) {
          if (scope !== null) c.fail(r.rec, 'parent_code', 'a top-level unit needs the scope of all units');
          continue;
        }
        const p = unitByCode.get(r.parentCode);
        if (!p && !fileCodes.has(r.parentCode)) c.fail(r.rec, 'parent_code', `no unit ${r.parentCode}`);
        else if (p && !inScope(scope, p.id)) c.fail(r.rec, 'parent_code', `no unit ${r.parentCode} in your scope`);
      }
      if (c.errors.length) return done();
      // Insert in dependency order: a parent before its children.
      const pending = [...rows];
      for (let guard = 0; pending.length && guard < rows.length + 1; guard++) {
        for (const r of [...pending]) {
          const parent = r.parentCode ? unitByCode.get(r.parentCode) : null;
          if (r.parentCode && !parent) continue;
          pending.splice(pending.indexOf(r), 1);
          const existing = unitByCode.get(r.code);
          if (existing) {
            if (parent && existing.parent_id !== parent.id && wouldCreateCycle([...parents].map(([id, parentId]) => ({ id, parentId })), existing.id, parent.id)) {
              c.fail(r.rec, 'parent_code', 'a unit cannot move under itself or one of its sub-units');
              continue;
            }
            const peerClass = r.peerClass ?? existing.peer_class;
            if (same(existing.name_zh, r.name) && same(existing.kind, r.kind) && same(existing.parent_id, parent?.id ?? null) && same(existing.name_en, r.nameEn) && same(existing.peer_class, peerClass)) {
              counts.unchanged++;
              continue;
            }
            await trx.updateTable('units').set({ name_zh: r.name, name_en: r.nameEn, kind: r.kind, parent_id: parent?.id ?? null, peer_class: peerClass, updated_at: now, version: existing.version + 1 }).where('id', '=', existing.id).execute();
            parents.set(existing.id, parent?.id ?? null);
            counts.updated++;
          } else {
            const row = await trx
              .insertInto('units')
              .values({ code: r.code, name_zh: r.name, name_en: r.nameEn, kind: r.kind, parent_id: parent?.id ?? null, peer_class: r.peerClass ?? '', valid_from: now.toISOString().slice(0, 10), created_at: now, updated_at: now })
              .returning(['id', 'code', 'name_zh', 'name_en', 'kind', 'parent_id', 'peer_class', 'valid_from', 'valid_to', 'sort_order', 'active', 'version'])
              .executeTakeFirstOrThrow();
            unitByCode.set(row.code, row);
            parents.set(row.id, row.parent_id);
            counts.inserted++;
          }
        }
      }
      for (const r of pending) c.fail(r.rec, 'parent_code', `the parent ${r.parentCode} forms a cycle in the file`);
    }

    if (kind === 'indicators') {
      const rows = records.flatMap((rec) => {
        const code = c.text(rec, 'code', { required: true, max: 64, pattern: indicatorPattern, patternMessage: 'letters, digits, _ and ., starting with a letter' });
        const name = c.text(rec, 'name', { required: true, max: 100 });
        const uom = c.text(rec, 'uom', { max: 32 });
        const direction = c.choice(rec, 'direction', synonyms.direction);
        const aggregation = c.choice(rec, 'aggregation', synonyms.aggregation);
        const formula = c.text(rec, 'formula', { max: 2000 });
        const precision = c.number(rec, 'precision', { min: 0, max: 6, integer: true });
        const category = c.choice(rec, 'category', synonyms.category);
        const nameEn = c.text(rec, 'name_en', { max: 200 });
        const scopeTag = c.text(rec, 'scope', { max: 16 });
        if ([code, name, uom, direction, aggregation, formula, precision, category, nameEn, scopeTag].includes(null)) return [];
        if (direction === 'band') return c.fail(rec, 'direction', 'band indicators need a centre and tolerance: create them in the library') ? [] : [];
        if ((aggregation === 'formula') !== Boolean(formula)) return c.fail(rec, 'formula', aggregation === 'formula' ? 'a formula indicator needs a formula' : 'a formula needs the aggregation "formula"') ? [] : [];
        if (duplicate(rec, code!, 'code', code!)) return [];
        return [{ rec, code: code!, name: name!, uom: uom!, direction: direction as string, aggregation: aggregation as string, formula: formula || null, precision: precision ?? 2, category: category as string, nameEn: nameEn || name!, scopeTag: scopeTag! }];
      });
      const merged = new Map(library.map((i) => [i.code, i.formula]));
      for (const r of rows) merged.set(r.code, r.formula);
      for (const p of checkFormulas([...merged].map(([code, formula]) => ({ code, formula })))) {
        const r = rows.find((x) => x.code === p.code);
        if (r) c.fail(r.rec, 'formula', p.message);
      }
      if (c.errors.length) return done();
      for (const r of rows) {
        const existing = indByCode.get(r.code);
        const fields = { name_zh: r.name, name_en: r.nameEn, uom: r.uom, direction: r.direction, aggregation: r.aggregation, formula: r.formula, precision: r.precision, category: r.category, scope_tag: r.scopeTag };
        if (existing) {
          const before = { name_zh: existing.nameZh, name_en: existing.nameEn, uom: existing.uom, direction: existing.direction, aggregation: existing.aggregation, formula: existing.formula, precision: existing.precision, category: existing.category, scope_tag: existing.scopeTag };
          if (Object.entries(fields).every(([k, v]) => same(before[k as keyof typeof before], v))) {
            counts.unchanged++;
            continue;
          }
          await trx.updateTable('indicators').set({ ...fields, updated_at: now, version: existing.version + 1 }).where('id', '=', existing.id).execute();
          counts.updated++;
        } else {
          await trx.insertInto('indicators').values({ code: r.code, ...fields, created_at: now, updated_at: now }).execute();
          counts.inserted++;
        }
      }
    }

    if (kind === 'assignments') {
      const existing = await trx.selectFrom('indicator_assignments').select(['unit_id', 'indicator_id', 'weight']).execute();
      const rows = records.flatMap((rec) => {
        const unit = visibleUnit(rec, 'unit_code');
        const ind = indicator(rec, 'indicator_code');
        const weight = c.number(rec, 'weight', { min: 0, max: 1000 });
        if (!unit || !ind || weight === null) return [];
        if (duplicate(rec, `${unit.code}/${ind.code}`, 'indicator_code', ind.code)) return [];
        return [{ unit, ind, weight: weight ?? 1 }];
      });
      if (c.errors.length) return done();
      for (const r of rows) {
        const old = existing.find((e) => e.unit_id === r.unit.id && e.indicator_id === r.ind.id);
        if (old && Number(old.weight) === r.weight) counts.unchanged++;
        else if (old) {
          await trx.updateTable('indicator_assignments').set({ weight: r.weight }).where('unit_id', '=', r.unit.id).where('indicator_id', '=', r.ind.id).execute();
          counts.updated++;
        } else {
          await trx.insertInto('indicator_assignments').values({ unit_id: r.unit.id, indicator_id: r.ind.id, weight: r.weight, sort_order: 1000 + counts.inserted, created_at: now }).execute();
          counts.inserted++;
        }
      }
    }

    if (kind === 'targets') {
      const rows = records.flatMap((rec) => {
        const unit = visibleUnit(rec, 'unit_code');
        const ind = indicator(rec, 'indicator_code');
        const periodText = normalisePeriod(rec.get('period'));
        const period = periodOrYearPattern.test(periodText) ? periodText : c.fail(rec, 'period', 'a month YYYY-MM or a year YYYY');
        const floor = c.number(rec, 'floor', { min: -1e15, max: 1e15 });
        const target = c.number(rec, 'target', { required: true, min: -1e15, max: 1e15 });
        const stretch = c.number(rec, 'stretch', { min: -1e15, max: 1e15 });
        const basis = c.text(rec, 'basis', { max: 500 });
        if (!unit || !ind || !period || floor === null || target === null || target === undefined || stretch === null || basis === null) return [];
        if (duplicate(rec, `${unit.code}/${ind.code}/${period}`, 'period', period)) return [];
        const order = levelOrderProblem(ind.direction, { floor: floor ?? null, target, stretch: stretch ?? null });
        if (order) {
          c.fail(rec, 'target', order);
          return [];
        }
        return [{ unit, ind, period, floor: floor ?? null, target, stretch: stretch ?? null, basis }];
      });
      if (c.errors.length) return done();
      const existing = rows.length ? await trx.selectFrom('targets').select(['unit_id', 'indicator_id', 'period', 'floor', 'target', 'stretch', 'basis', 'id', 'version']).where('period', 'in', [...new Set(rows.map((r) => r.period))]).execute() : [];
      for (const r of rows) {
        const old = existing.find((e) => e.unit_id === r.unit.id && e.indicator_id === r.ind.id && e.period === r.period);
        const fields = { floor: r.floor, target: r.target, stretch: r.stretch, basis: r.basis, updated_at: now };
        if (old && same(old.floor === null ? null : Number(old.floor), r.floor) && Number(old.target) === r.target && same(old.stretch === null ? null : Number(old.stretch), r.stretch) && old.basis === r.basis) counts.unchanged++;
        else if (old) {
          await trx.updateTable('targets').set({ ...fields, version: old.version + 1 }).where('id', '=', old.id).execute();
          counts.updated++;
        } else {
          await trx.insertInto('targets').values({ unit_id: r.unit.id, indicator_id: r.ind.id, period: r.period, created_at: now, ...fields }).execute();
          counts.inserted++;
        }
      }
    }

    if (kind === 'benchmarks') {
      const benchmarks = new Map((await trx.selectFrom('benchmarks').select(['id', 'code', 'name_zh', 'kind']).execute()).map((b) => [b.code, b]));
      const rows = records.flatMap((rec) => {
        const code = c.text(rec, 'benchmark_code', { required: true, max: 64, pattern: /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, patternMessage: 'letters, digits, _ . -' });
        const name = c.text(rec, 'benchmark_name', { required: true, max: 100 });
        const bkind = c.choice(rec, 'kind', synonyms.benchmarkKind);
        const ind = indicator(rec, 'indicator_code');
        const periodText = normalisePeriod(rec.get('period'));
        const period = periodOrYearPattern.test(periodText) ? periodText : c.fail(rec, 'period', 'a month YYYY-MM or a year YYYY');
        const value = c.number(rec, 'value', { required: true, min: -1e15, max: 1e15 });
        const scopeTag = c.text(rec, 'scope', { max: 16 });
        const source = c.text(rec, 'source', { max: 500 });
        if (!code || !name || !bkind || !ind || !period || value === null || value === undefined || scopeTag === null || source === null) return [];
        const known = benchmarks.get(code);
        if (known && known.kind !== bkind) return c.fail(rec, 'kind', `${code} is a ${known.kind} benchmark`) ? [] : [];
        if (duplicate(rec, `${code}/${ind.code}/${period}`, 'period', period)) return [];
        return [{ code, name, kind: bkind as string, ind, period, value, scopeTag, source }];
      });
      if (c.errors.length) return done();
      for (const r of rows) {
        let b = benchmarks.get(r.code);
        if (!b) {
          const id = (await trx.insertInto('benchmarks').values({ code: r.code, name_zh: r.name, kind: r.kind, source: r.source, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
          b = { id, code: r.code, name_zh: r.name, kind: r.kind };
          benchmarks.set(r.code, b);
        }
        const old = await trx.selectFrom('benchmark_values').selectAll().where('benchmark_id', '=', b.id).where('indicator_id', '=', r.ind.id).where('period', '=', r.period).executeTakeFirst();
        if (old && Number(old.value) === r.value && old.scope_tag === r.scopeTag && old.source === r.source) counts.unchanged++;
        else if (old) {
          await trx.updateTable('benchmark_values').set({ value: r.value, scope_tag: r.scopeTag, source: r.source }).where('benchmark_id', '=', b.id).where('indicator_id', '=', r.ind.id).where('period', '=', r.period).execute();
          counts.updated++;
        } else {
          await trx.insertInto('benchmark_values').values({ benchmark_id: b.id, indicator_id: r.ind.id, period: r.period, value: r.value, scope_tag: r.scopeTag, source: r.source }).execute();
          counts.inserted++;
        }
      }
    }
    if (kind === 'meters') {
      const r = await importMeters(trx, scope, now, records as unknown as Parameters<typeof importMeters>[3], c as unknown as MeterRowChecker);
      Object.assign(counts, r);
    }
    if (kind === 'sites') {
      Object.assign(counts, await importSites(trx, deps, ctx, scope, now, records as unknown as MappedRecord<SiteImportKey>[], c as unknown as RowChecker<SiteImportKey>));
    }
    if (kind === 'checkpoints') {
      Object.assign(counts, await importCheckpoints(trx, scope, now, records as unknown as MappedRecord<CheckpointImportKey>[], c as unknown as RowChecker<CheckpointImportKey>));
    }
    if (kind === 'people') {
      Object.assign(counts, await importPeople(trx, deps, actor, now, records as unknown as MappedRecord<PeopleImportKey>[], c as unknown as PeopleRowChecker));
    }
    return done();
  }

  return {
    /** Reads the file, checks every row, and commits all rows or none (dry run: never commits). */
    /** Where the caller's import `id` stands (undefined when unknown here). */
    progress(actor: Actor, id: string) {
      return progress.get(actor.userId, id);
    },

    async run(ctx: RequestContext, actor: Actor, kind: ImportKind, file: Buffer, filename: string, dryRun: boolean, progressId?: string): Promise<ImportResult> {
      if (!actor.permissions.has(kindPermission[kind])) throw forbidden(`Importing ${kind} needs the permission ${kindPermission[kind]}`);
      if (running.has(actor.userId)) throw importInProgress();
      running.add(actor.userId);
      const report = progress.reporter(actor.userId, progressId);
      let rows: number | null = null;
      try {
        report({ phase: 'reading', rows, written: null, toWrite: null });
        const sha256 = createHash('sha256').update(file).digest('hex');
        let result: Applied;
        try {
          // The file is read inside the transaction: measurements are written while it is read.
          result = await db.transaction().execute(async (trx) => {
            await lockImportsOf(trx, actor.userId);
            let r: Applied;
            if (kind === 'measurements') {
              r = await streamMeasurements(trx, actor, clock.now(), file, filename, report);
            } else {
              const table = await readUpload(file, filename);
              rows = table.rows.length;
              report({ phase: 'checking', rows, written: null, toWrite: null });
              r = await apply(trx, ctx, actor, kind, table);
            }
            rows = r.rows;
            if (r.errors.length) return r;
            if (dryRun) throw new DryRunRollback(r);
            await audit(trx, deps, ctx, { action: `import.${kind}`, objectType: 'import', objectId: sha256.slice(0, 16), details: { file: filename.slice(0, 100), format: r.format, rows: r.rows, ...r.counts } });
            return r;
          });
        } catch (e) {
          if (!(e instanceof DryRunRollback)) throw e;
          result = e.applied;
        }
        if (result.errors.length) {
          // A failed import is audited too, outside the rolled-back work.
          await db.transaction().execute((trx) => audit(trx, deps, ctx, { action: `import.${kind}`, result: 'failure', objectType: 'import', objectId: sha256.slice(0, 16), details: { file: filename.slice(0, 100), rows: result.rows, errors: result.errors.length } }));
        }
        const errors = [...result.errors].sort((a, b) => a.row - b.row);
        if (kind === 'measurements' && !dryRun && errors.length === 0) await hooks.afterMeasurementsImported?.();
        report({ phase: errors.length ? 'failed' : 'done', rows: result.rows, written: null, toWrite: null });
        return { kind, rows: result.rows, ...(result.errors.length ? { inserted: 0, updated: 0, unchanged: 0 } : result.counts), dryRun, errors };
      } catch (e) {
        report({ phase: 'failed', rows, written: null, toWrite: null });
        throw e;
      } finally {
        running.delete(actor.userId);
      }
    },

    /** A template for a kind, prefilled with the codes of a unit (and its sub-units) and a period. */
    async template(actor: Actor, q: { kind: ImportKind; unit?: string; period?: string; format: 'xlsx' | 'csv'; lang: 'zh' | 'en' }): Promise<{ body: Buffer; filename: string; contentType: string }> {
      const specs = columnSpecs[q.kind];
      const headers = specs.map((s) => (q.lang === 'zh' ? s.names[1] : s.names[0]) as string);
      const rows: (string | number | null)[][] = [];
      if (q.unit && ['measurements', 'targets', 'assignments'].includes(q.kind)) {
        const scope = await visibleUnitIds(db, actor);
        const units = await listUnits(db);
        const unit = units.find((u) => u.code === q.unit);
        if (unit && inScope(scope, unit.id)) {
          const library = await listIndicators(db);
          const set = await db.selectFrom('indicator_assignments').select(['indicator_id']).where('unit_id', '=', unit.id).orderBy('sort_order').execute();
          for (const a of set) {
            const ind = library.find((i) => i.id === a.indicator_id);
            if (!ind || (q.kind !== 'assignments' && ind.aggregation === 'formula')) continue;
            const row: (string | number | null)[] = specs.map(() => null);
            const at = (key: string) => specs.findIndex((s) => s.key === key);
            row[at('unit_code')] = unit.code;
            row[at('indicator_code')] = ind.code;
            if (q.period && at('period') >= 0) row[at('period')] = q.period;
            rows.push(row);
          }
        }
      }
      const name = `pacesetter-${q.kind}${q.unit ? `-${q.unit}` : ''}${q.period ? `-${q.period}` : ''}`;
      if (q.format === 'csv') return { body: writeCsv(headers, rows), filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8' };
      return { body: await writeXlsx(q.kind, headers, rows), filename: `${name}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    },
  };
}
export type ImportService = ReturnType<typeof importService>;
