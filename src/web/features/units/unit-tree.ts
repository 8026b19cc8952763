import type { Locale } from '../../../server/modules/auth/auth.schemas';
import type { Unit, UnitKind } from '../../../server/modules/units/units.schemas';

export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
}

// Every kind, in the order of the org tree from the top; the type makes sure none is missing.
const unitKindRank: Record<UnitKind, number> = {
  company: 0,
  division: 1,
  plant: 2,
  workshop: 3,
  area: 4,
  team: 5,
  office: 6,
};
export const unitKindList = (Object.keys(unitKindRank) as UnitKind[]).sort((a, b) => unitKindRank[a] - unitKindRank[b]);

/** The unit's name in the UI language (the Chinese name when no English one is given). */
export function unitName(unit: Unit, locale: string): string {
  return (locale as Locale) === 'en-US' && unit.nameEn ? unit.nameEn : unit.nameZh;
}

function compareUnits(a: UnitNode, b: UnitNode): number {
  return a.unit.sortOrder - b.unit.sortOrder || a.unit.code.localeCompare(b.unit.code);
}

/**
 * Builds the org tree from the flat list, ordered by sortOrder then code. A unit whose parent is not
 * in the list (a user who sees only a subtree) becomes a root.
 */
export function buildUnitTree(units: readonly Unit[]): UnitNode[] {
  const nodes = new Map<string, UnitNode>(units.map((unit) => [unit.id, { unit, children: [] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort(compareUnits);
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

/** The ids of a unit and everything below it: the places it cannot be moved to. */
export function subtreeIds(units: readonly Unit[], rootId: string): Set<string> {
  const childrenOf = new Map<string, string[]>();
  for (const unit of units) {
    if (!unit.parentId) continue;
    const siblings = childrenOf.get(unit.parentId) ?? [];
    siblings.push(unit.id);
    childrenOf.set(unit.parentId, siblings);
  }
  const ids = new Set<string>();
  const stack = [rootId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (ids.has(id)) continue;
    ids.add(id);
    stack.push(...(childrenOf.get(id) ?? []));
  }
  return ids;
}

/** The ids of the units above a unit, nearest first (as far as the list reaches). */
export function ancestorIds(byId: ReadonlyMap<string, Unit>, id: string): string[] {
  const ids: string[] = [];
  const seen = new Set<string>([id]);
  for (let parentId = byId.get(id)?.parentId; parentId && !seen.has(parentId); parentId = byId.get(parentId)?.parentId) {
    seen.add(parentId);
    ids.push(parentId);
  }
  return ids;
}

/**
 * Keeps the units that match and the path down to them. `expanded` lists the kept units that have
 * kept children, so that every match is visible.
 */
export function filterUnitTree(
  roots: readonly UnitNode[],
  matches: (unit: Unit) => boolean,
): { roots: UnitNode[]; expanded: string[] } {
  const expanded: string[] = [];
  const visit = (node: UnitNode): UnitNode | null => {
    const children = node.children.map(visit).filter((child): child is UnitNode => child !== null);
    if (children.length > 0) expanded.push(node.unit.id);
    return children.length > 0 || matches(node.unit) ? { unit: node.unit, children } : null;
  };
  return { roots: roots.map(visit).filter((node): node is UnitNode => node !== null), expanded };
}

/** Case-insensitive match on code and both names. */
export function unitMatcher(query: string): (unit: Unit) => boolean {
  const needle = query.trim().toLowerCase();
  return (unit) =>
    !needle ||
    unit.code.toLowerCase().includes(needle) ||
    unit.nameZh.toLowerCase().includes(needle) ||
    unit.nameEn.toLowerCase().includes(needle);
}
