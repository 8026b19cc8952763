import { daysInMonth } from '../../../domain/benchmarking/period';
import { teamEarnings } from '../../../domain/results/piece-rate';
import { decimalOf, plainText } from '../../../domain/results/money';
import { inScope, visibleUnitIds } from '../../auth/scope';
import type { Actor, Db, Deps, RequestContext, Tx } from '../../context';
import { businessRule, conflict, notFound, staleVersion } from '../../errors';
import { writeWorkbook } from '../../imports/export-table';
import { audit, diffChanges } from '../audit/audit.service';
import { findUnitByCode } from '../units/units.repository';
import type { Earnings, OutputBody, PointsBody, Price, PriceBody, PutPriceBody, PutRateBody, Rate, RateBody } from './piece-rates.schemas';

type RateRow = { id: string; team_unit_id: string; team: string; team_name: string; product: string; uom: string; rate: string; valid_from: string; valid_to: string | null; version: number };
type PriceRow = { id: string; product: string; grade: string; price: string; valid_from: string; valid_to: string | null; version: number };

const text = (numeric: string) => plainText(decimalOf(numeric));
const toRate = (r: RateRow): Rate => ({ id: r.id, team: r.team, teamName: r.team_name, product: r.product, uom: r.uom, rate: text(r.rate), validFrom: r.valid_from, validTo: r.valid_to, version: r.version });
const toPrice = (r: PriceRow): Price => ({ id: r.id, product: r.product, grade: r.grade, price: text(r.price), validFrom: r.valid_from, validTo: r.valid_to, version: r.version });
const overlaps = (a: { from: string; to: string | null }, b: { from: string; to: string | null }) => (a.to === null || b.from <= a.to) && (b.to === null || a.from <= b.to);
const lastDay = (period: string) => `${period}-${String(daysInMonth(period)).padStart(2, '0')}`;

export function pieceRateService(deps: Deps) {
  const { db } = deps.database;
  const { clock } = deps;

  const rateRows = (trx: Db | Tx) =>
    trx
      .selectFrom('piece_rates as r')
      .innerJoin('units as u', 'u.id', 'r.team_unit_id')
      .select(['r.id', 'r.team_unit_id', 'u.code as team', 'u.name_zh as team_name', 'r.product', 'r.uom', 'r.rate', 'r.valid_from', 'r.valid_to', 'r.version'])
      .orderBy('u.code')
      .orderBy('r.product')
      .orderBy('r.valid_from');
  const priceRows = (trx: Db | Tx) => trx.selectFrom('quality_prices').select(['id', 'product', 'grade', 'price', 'valid_from', 'valid_to', 'version']).orderBy('product').orderBy('grade').orderBy('valid_from');

  /** The team unit, inside the caller's scope (else 404). */
  async function team(trx: Db | Tx, actor: Actor, code: string) {
    const unit = await findUnitByCode(trx, code);
    if (!unit || !inScope(await visibleUnitIds(trx, actor), unit.id)) throw notFound('UNIT_NOT_FOUND', `No unit ${code}`);
    return unit;
  }

  async function checkRateOverlap(trx: Tx, teamId: string, product: string, from: string, to: string | null, except: string | null) {
    if (to !== null && to < from) throw businessRule('VALIDITY_INVALID', 'validTo is before validFrom', { field: 'validTo' });
    const others = await trx.selectFrom('piece_rates').select(['id', 'valid_from', 'valid_to']).where('team_unit_id', '=', teamId).where('product', '=', product).execute();
    const clash = others.find((o) => o.id !== except && overlaps({ from, to }, { from: o.valid_from, to: o.valid_to }));
    if (clash) throw businessRule('RATE_OVERLAP', `Another rate of ${product} is valid from ${clash.valid_from}${clash.valid_to ? ` to ${clash.valid_to}` : ''}: end it first`, { field: 'validFrom' });
  }
  async function checkPriceOverlap(trx: Tx, product: string, grade: string, from: string, to: string | null, except: string | null) {
    if (to !== null && to < from) throw businessRule('VALIDITY_INVALID', 'validTo is before validFrom', { field: 'validTo' });
    const others = await trx.selectFrom('quality_prices').select(['id', 'valid_from', 'valid_to']).where('product', '=', product).where('grade', '=', grade).execute();
    const clash = others.find((o) => o.id !== except && overlaps({ from, to }, { from: o.valid_from, to: o.valid_to }));
    if (clash) throw businessRule('PRICE_OVERLAP', `Another price of ${product} ${grade} is valid from ${clash.valid_from}${clash.valid_to ? ` to ${clash.valid_to}` : ''}: end it first`, { field: 'validFrom' });
  }

  /** Earnings of a team for a month, members named only for callers with person.read. */
  async function earningsOf(trx: Db | Tx, actor: Actor, unit: { id: string; code: string; name_zh: string }, period: string): Promise<Earnings> {
    const date = lastDay(period);
    const outputs = await trx.selectFrom('team_outputs').select(['product', 'grade', 'quantity']).where('team_unit_id', '=', unit.id).where('period', '=', period).orderBy('product').orderBy('grade').execute();
    const rates = await trx
      .selectFrom('piece_rates')
      .select(['product', 'uom', 'rate'])
      .where('team_unit_id', '=', unit.id)
      .where('valid_from', '<=', date)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)]))
      .execute();
    const prices = await trx
      .selectFrom('quality_prices')
      .select(['product', 'grade', 'price'])
      .where('valid_from', '<=', date)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)]))
      .execute();
    const members = await trx
      .selectFrom('team_member_points as t')
      .innerJoin('people as p', 'p.id', 't.person_id')
      .select(['p.code', 'p.name', 't.points'])
      .where('t.team_unit_id', '=', unit.id)
      .where('t.period', '=', period)
      .orderBy('p.code')
      .execute();
    const e = teamEarnings(outputs, rates, prices, members.map((m) => ({ key: m.code, points: m.points })));
    const names = actor.permissions.has('person.read');
    const nameOf = new Map(members.map((m) => [m.code, m.name]));
    return {
      team: unit.code,
      teamName: unit.name_zh,
      period,
      rateDate: date,
      lines: e.lines,
      pieceTotal: e.pieceTotal,
      qualityTotal: e.qualityTotal,
      total: e.total,
      arithmetic: e.arithmetic,
      totalPoints: e.totalPoints,
      members: e.members.map((m) => ({ person: m.key, personName: names ? (nameOf.get(m.key) ?? null) : null, points: m.points, amount: m.amount, arithmetic: m.arithmetic })),
      allocationProblem: e.allocationProblem,
    };
  }

  return {
    async rates(actor: Actor, teamCode?: string): Promise<Rate[]> {
      return db.transaction().execute(async (trx) => {
        let q = rateRows(trx);
        if (teamCode) q = q.where('r.team_unit_id', '=', (await team(trx, actor, teamCode)).id);
        const scope = await visibleUnitIds(trx, actor);
        return (await q.execute()).filter((r) => inScope(scope, r.team_unit_id)).map(toRate);
      });
    },

    async createRate(ctx: RequestContext, actor: Actor, body: RateBody): Promise<Rate> {
      return db.transaction().execute(async (trx) => {
        const unit = await team(trx, actor, body.team);
        await checkRateOverlap(trx, unit.id, body.product, body.validFrom, body.validTo, null);
        const now = clock.now();
        const row = await trx
          .insertInto('piece_rates')
          .values({ team_unit_id: unit.id, product: body.product, uom: body.uom, rate: body.rate, valid_from: body.validFrom, valid_to: body.validTo, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'piece_rate.create', objectType: 'piece_rate', objectId: row.id, changes: diffChanges(null, body) });
        return toRate(await rateRows(trx).where('r.id', '=', row.id).executeTakeFirstOrThrow());
      });
    },

    async updateRate(ctx: RequestContext, actor: Actor, id: string, body: PutRateBody): Promise<Rate> {
      return db.transaction().execute(async (trx) => {
        const before = await rateRows(trx).where('r.id', '=', id).executeTakeFirst();
        if (!before || !inScope(await visibleUnitIds(trx, actor), before.team_unit_id)) throw notFound('RATE_NOT_FOUND', 'No such piece rate');
        await checkRateOverlap(trx, before.team_unit_id, body.product, body.validFrom, body.validTo, id);
        const r = await trx
          .updateTable('piece_rates')
          .set({ product: body.product, uom: body.uom, rate: body.rate, valid_from: body.validFrom, valid_to: body.validTo, updated_at: clock.now(), version: before.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const old = toRate(before);
        await audit(trx, deps, ctx, { action: 'piece_rate.update', objectType: 'piece_rate', objectId: id, changes: diffChanges({ product: old.product, uom: old.uom, rate: old.rate, validFrom: old.validFrom, validTo: old.validTo }, { product: body.product, uom: body.uom, rate: text(body.rate), validFrom: body.validFrom, validTo: body.validTo }) });
        return toRate(await rateRows(trx).where('r.id', '=', id).executeTakeFirstOrThrow());
      });
    },

    async prices(): Promise<Price[]> {
      return (await priceRows(db).execute()).map(toPrice);
    },

    async createPrice(ctx: RequestContext, body: PriceBody): Promise<Price> {
      return db.transaction().execute(async (trx) => {
        await checkPriceOverlap(trx, body.product, body.grade, body.validFrom, body.validTo, null);
        const now = clock.now();
        const row = await trx
          .insertInto('quality_prices')
          .values({ product: body.product, grade: body.grade, price: body.price, valid_from: body.validFrom, valid_to: body.validTo, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, deps, ctx, { action: 'quality_price.create', objectType: 'quality_price', objectId: row.id, changes: diffChanges(null, body) });
        return toPrice(await priceRows(trx).where('id', '=', row.id).executeTakeFirstOrThrow());
      });
    },

    async updatePrice(ctx: RequestContext, id: string, body: PutPriceBody): Promise<Price> {
      return db.transaction().execute(async (trx) => {
        const before = await priceRows(trx).where('id', '=', id).executeTakeFirst();
        if (!before) throw notFound('PRICE_NOT_FOUND', 'No such quality price');
        await checkPriceOverlap(trx, body.product, body.grade, body.validFrom, body.validTo, id);
        const r = await trx
          .updateTable('quality_prices')
          .set({ product: body.product, grade: body.grade, price: body.price, valid_from: body.validFrom, valid_to: body.validTo, updated_at: clock.now(), version: before.version + 1 })
          .where('id', '=', id)
          .where('version', '=', body.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw staleVersion();
        const old = toPrice(before);
        await audit(trx, deps, ctx, { action: 'quality_price.update', objectType: 'quality_price', objectId: id, changes: diffChanges({ product: old.product, grade: old.grade, price: old.price, validFrom: old.validFrom, validTo: old.validTo }, { product: body.product, grade: body.grade, price: text(body.price), validFrom: body.validFrom, validTo: body.validTo }) });
        return toPrice(await priceRows(trx).where('id', '=', id).executeTakeFirstOrThrow());
      });
    },

    /** A team's outputs and member points for a month. */
    async sheet(actor: Actor, teamCode: string, period: string) {
      return db.transaction().execute(async (trx) => {
        const unit = await team(trx, actor, teamCode);
        const outputs = await trx.selectFrom('team_outputs').select(['id', 'period', 'product', 'grade', 'quantity', 'version']).where('team_unit_id', '=', unit.id).where('period', '=', period).orderBy('product').orderBy('grade').execute();
        const points = await trx
          .selectFrom('team_member_points as t')
          .innerJoin('people as p', 'p.id', 't.person_id')
          .select(['t.id', 't.period', 'p.code', 'p.name', 't.points', 't.version'])
          .where('t.team_unit_id', '=', unit.id)
          .where('t.period', '=', period)
          .orderBy('p.code')
          .execute();
        const names = actor.permissions.has('person.read');
        return {
          team: unit.code,
          teamName: unit.name_zh,
          period,
          outputs: outputs.map((o) => ({ id: o.id, team: unit.code, period: o.period, product: o.product, grade: o.grade, quantity: text(o.quantity), version: o.version })),
          points: points.map((p) => ({ id: p.id, team: unit.code, period: p.period, person: p.code, personName: names ? p.name : null, points: plainText(decimalOf(p.points), 2), version: p.version })),
        };
      });
    },

    /** Records a team's output of a product and grade for a month (new without a version, changed with it). */
    async putOutput(ctx: RequestContext, actor: Actor, body: OutputBody) {
      return db.transaction().execute(async (trx) => {
        const unit = await team(trx, actor, body.team);
        const existing = await trx.selectFrom('team_outputs').select(['id', 'quantity', 'version']).where('team_unit_id', '=', unit.id).where('period', '=', body.period).where('product', '=', body.product).where('grade', '=', body.grade).executeTakeFirst();
        const now = clock.now();
        let id: string;
        if (!existing) {
          if (body.version !== undefined) throw notFound('OUTPUT_NOT_FOUND', 'There is no such output line to change; send it without a version to create it');
          id = (await trx.insertInto('team_outputs').values({ team_unit_id: unit.id, period: body.period, product: body.product, grade: body.grade, quantity: body.quantity, entered_by: actor.userId, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
        } else {
          if (body.version === undefined) throw conflict('OUTPUT_EXISTS', 'This output line exists: send its version to change it', { version: existing.version });
          const r = await trx.updateTable('team_outputs').set({ quantity: body.quantity, entered_by: actor.userId, updated_at: now, version: existing.version + 1 }).where('id', '=', existing.id).where('version', '=', body.version).executeTakeFirst();
          if (Number(r.numUpdatedRows) === 0) throw staleVersion();
          id = existing.id;
        }
        await audit(trx, deps, ctx, { action: 'team_output.put', objectType: 'team_output', objectId: id, changes: { [`${unit.code}/${body.period}/${body.product}/${body.grade}`]: existing ? { old: text(existing.quantity), new: text(body.quantity) } : { new: text(body.quantity) } } });
        const row = await trx.selectFrom('team_outputs').select(['id', 'period', 'product', 'grade', 'quantity', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
        return { id: row.id, team: unit.code, period: row.period, product: row.product, grade: row.grade, quantity: text(row.quantity), version: row.version };
      });
    },

    /** Records a member's points for a month (new without a version, changed with it). */
    async putPoints(ctx: RequestContext, actor: Actor, body: PointsBody) {
      return db.transaction().execute(async (trx) => {
        const unit = await team(trx, actor, body.team);
        const person = await trx.selectFrom('people').select(['id', 'code', 'name', 'unit_id']).where('code', '=', body.person).executeTakeFirst();
        if (!person) throw notFound('PERSON_NOT_FOUND', `No person ${body.person}`);
        if (person.unit_id !== unit.id) throw businessRule('PERSON_NOT_IN_TEAM', `${body.person} is not a member of ${unit.code}`, { field: 'person' });
        const existing = await trx.selectFrom('team_member_points').select(['id', 'points', 'version']).where('team_unit_id', '=', unit.id).where('period', '=', body.period).where('person_id', '=', person.id).executeTakeFirst();
        const now = clock.now();
        let id: string;
        if (!existing) {
          if (body.version !== undefined) throw notFound('POINTS_NOT_FOUND', 'There are no such points to change; send them without a version to create them');
          id = (await trx.insertInto('team_member_points').values({ team_unit_id: unit.id, period: body.period, person_id: person.id, points: body.points, entered_by: actor.userId, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
        } else {
          if (body.version === undefined) throw conflict('POINTS_EXIST', 'These points exist: send their version to change them', { version: existing.version });
          const r = await trx.updateTable('team_member_points').set({ points: body.points, entered_by: actor.userId, updated_at: now, version: existing.version + 1 }).where('id', '=', existing.id).where('version', '=', body.version).executeTakeFirst();
          if (Number(r.numUpdatedRows) === 0) throw staleVersion();
          id = existing.id;
        }
        await audit(trx, deps, ctx, { action: 'team_points.put', objectType: 'team_member_points', objectId: id, changes: { [`${unit.code}/${body.period}/${person.code}`]: existing ? { old: plainText(decimalOf(existing.points), 2), new: plainText(decimalOf(body.points), 2) } : { new: plainText(decimalOf(body.points), 2) } } });
        const row = await trx.selectFrom('team_member_points').select(['id', 'period', 'points', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
        return { id: row.id, team: unit.code, period: row.period, person: person.code, personName: actor.permissions.has('person.read') ? person.name : null, points: plainText(decimalOf(row.points), 2), version: row.version };
      });
    },

    async earnings(actor: Actor, teamCode: string, period: string): Promise<Earnings> {
      return db.transaction().execute(async (trx) => earningsOf(trx, actor, await team(trx, actor, teamCode), period));
    },

    /**
     * The payroll export of a month: one row per member of every team in scope with output or
     * points, and the team lines with their arithmetic. Person code and name only (no phone, no ID);
     * names only for callers with person.read.
     */
    async payrollWorkbook(ctx: RequestContext, actor: Actor, period: string): Promise<Buffer> {
      return db.transaction().execute(async (trx) => {
        const scope = await visibleUnitIds(trx, actor);
        const teamIds = new Set([
          ...(await trx.selectFrom('team_outputs').select('team_unit_id').where('period', '=', period).execute()).map((r) => r.team_unit_id),
          ...(await trx.selectFrom('team_member_points').select('team_unit_id').where('period', '=', period).execute()).map((r) => r.team_unit_id),
        ]);
        const ids = [...teamIds].filter((id) => inScope(scope, id));
        const units = ids.length ? await trx.selectFrom('units').select(['id', 'code', 'name_zh']).where('id', 'in', ids).orderBy('sort_order').orderBy('code').execute() : [];
        const members: (string | number | null)[][] = [];
        const lines: (string | number | null)[][] = [];
        for (const u of units) {
          const e = await earningsOf(trx, actor, u, period);
          for (const m of e.members) members.push([period, e.team, e.teamName, m.person, m.personName, Number(m.points), Number(m.amount), m.arithmetic]);
          for (const l of e.lines) lines.push([period, e.team, l.product, l.grade, Number(l.quantity), l.uom, l.rate === null ? null : Number(l.rate), Number(l.pieceAmount), l.qualityPrice === null ? null : Number(l.qualityPrice), Number(l.qualityAmount), Number(l.amount), l.arithmetic]);
          lines.push([period, e.team, '合计 total', null, null, null, null, Number(e.pieceTotal), null, Number(e.qualityTotal), Number(e.total), e.arithmetic]);
        }
        await audit(trx, deps, ctx, { action: 'piece_rate.export', objectType: 'payroll', objectId: period, details: { teams: units.map((u) => u.code), rows: members.length } });
        return writeWorkbook([
          { name: '计件工资 payroll', headers: ['期间 period', '班组 team', '班组名称 team name', '工号 person', '姓名 name', '工分 points', '金额 amount (yuan)', '计算 arithmetic'], rows: members, columnWidths: [10, 12, 20, 12, 14, 10, 16, 60] },
          { name: '产量与计价 lines', headers: ['期间 period', '班组 team', '产品 product', '等级 grade', '产量 quantity', '单位 uom', '单价 rate', '计件 piece', '质量价 price', '质量计价 quality', '金额 amount', '计算 arithmetic'], rows: lines, columnWidths: [10, 12, 14, 12, 12, 8, 10, 14, 10, 14, 14, 60] },
        ]);
      });
    },
  };
}
export type PieceRateService = ReturnType<typeof pieceRateService>;
