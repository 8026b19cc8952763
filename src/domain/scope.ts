export type Scope = 'own' | 'subtree' | 'all';

export interface UnitNode {
  id: string;
  parentId: string | null;
}

/** Maps each unit to its children, for walking the tree downwards. */
export function childrenIndex(units: readonly UnitNode[]): Map<string | null, string[]> {
  const index = new Map<string | null, string[]>();
  for (const u of units) {
    const list = index.get(u.parentId);
    if (list) list.push(u.id);
    else index.set(u.parentId, [u.id]);
  }
  return index;
}

/** The unit and all its descendants. */
export function descendantsOf(units: readonly UnitNode[], rootId: string): Set<string> {
  const index = childrenIndex(units);
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const child of index.get(id) ?? []) stack.push(child);
  }
  return out;
}

export interface Grant {
  scope: Scope;
  unitId: string | null;
}

/**
 * The unit ids a user may see, given the scopes of its roles and its own unit:
 * `null` means every unit. A user without a unit sees nothing under own/subtree.
 */
export function unitsInScope(units: readonly UnitNode[], grants: readonly Grant[]): Set<string> | null {
  if (grants.some((g) => g.scope === 'all')) return null;
  const out = new Set<string>();
  for (const g of grants) {
    if (g.unitId === null) continue;
    if (g.scope === 'own') out.add(g.unitId);
    else for (const id of descendantsOf(units, g.unitId)) out.add(id);
  }
  return out;
}

/** True when moving `unitId` under `newParentId` would put a unit inside its own subtree. */
export function wouldCreateCycle(units: readonly UnitNode[], unitId: string, newParentId: string): boolean {
  return descendantsOf(units, unitId).has(newParentId);
}
