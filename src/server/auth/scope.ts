import { unitsInScope } from '../../domain/scope';
import type { Actor, Db } from '../context';

/** The unit ids the actor may see (null = all units). */
export async function visibleUnitIds(db: Db, actor: Actor): Promise<Set<string> | null> {
  if (actor.roles.some((r) => r.scope === 'all')) return null;
  const units = await db.selectFrom('units').select(['id', 'parent_id as parentId']).execute();
  return unitsInScope(
    units,
    actor.roles.map((r) => ({ scope: r.scope, unitId: actor.unitId })),
  );
}

/** True when the unit is inside the scope (a null unit is visible only with scope all). */
export function inScope(scope: Set<string> | null, unitId: string | null): boolean {
  return scope === null || (unitId !== null && scope.has(unitId));
}
