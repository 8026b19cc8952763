import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { descendantsOf, unitsInScope, wouldCreateCycle, type Scope, type UnitNode } from './scope';

/** A random tree: each unit's parent is an earlier unit (or none for the first). */
const tree = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(null) : fc.option(fc.nat({ max: i - 1 }), { freq: 8, nil: null })))).map((parents) =>
    parents.map((p, i): UnitNode => ({ id: `u${i}`, parentId: p === null ? null : `u${p}` })),
  ),
);

/** The ancestors of a unit, walking up. */
function ancestors(units: UnitNode[], id: string): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: string[] = [];
  for (let p = byId.get(id)?.parentId ?? null; p !== null; p = byId.get(p)?.parentId ?? null) out.push(p);
  return out;
}

describe('unitsInScope', () => {
  const units: UnitNode[] = [
    { id: 'grp', parentId: null },
    { id: 'dj1', parentId: 'grp' },
    { id: 'dj1-w', parentId: 'dj1' },
    { id: 'yh1', parentId: 'grp' },
  ];
  it('own, subtree and all', () => {
    expect(unitsInScope(units, [{ scope: 'own', unitId: 'dj1' }])).toEqual(new Set(['dj1']));
    expect(unitsInScope(units, [{ scope: 'subtree', unitId: 'dj1' }])).toEqual(new Set(['dj1', 'dj1-w']));
    expect(unitsInScope(units, [{ scope: 'all', unitId: 'dj1' }])).toBeNull();
    expect(unitsInScope(units, [{ scope: 'subtree', unitId: null }])).toEqual(new Set());
  });

  it('property: a user never receives a unit outside its scope', () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.constantFrom<Scope>('own', 'subtree'), (units, pick, scope) => {
        const home = units[pick % units.length]!.id;
        const visible = unitsInScope(units, [{ scope, unitId: home }])!;
        for (const u of units) {
          const allowed = scope === 'own' ? u.id === home : u.id === home || ancestors(units, u.id).includes(home);
          expect(visible.has(u.id)).toBe(allowed);
        }
      }),
    );
  });

  it('property: several roles see the union of their scopes and nothing more', () => {
    fc.assert(
      fc.property(tree, fc.array(fc.tuple(fc.nat(), fc.constantFrom<Scope>('own', 'subtree')), { minLength: 1, maxLength: 3 }), (units, picks) => {
        const grants = picks.map(([p, scope]) => ({ scope, unitId: units[p % units.length]!.id }));
        const union = new Set(grants.flatMap((g) => [...unitsInScope(units, [g])!]));
        expect(unitsInScope(units, grants)).toEqual(union);
      }),
    );
  });
});

describe('wouldCreateCycle', () => {
  it('property: moving under a descendant (or itself) is a cycle, anywhere else is not', () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.nat(), (units, a, b) => {
        const unit = units[a % units.length]!.id;
        const target = units[b % units.length]!.id;
        expect(wouldCreateCycle(units, unit, target)).toBe(descendantsOf(units, unit).has(target));
        expect(wouldCreateCycle(units, unit, target)).toBe(unit === target || ancestors(units, target).includes(unit));
      }),
    );
  });
});
