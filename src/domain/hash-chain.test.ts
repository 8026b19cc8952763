import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, genesisHash, verifyChain, type ChainRow } from './hash-chain';

function buildChain(bodies: Record<string, unknown>[]): ChainRow[] {
  let prev = genesisHash;
  return bodies.map((b, i) => {
    const body = { ...b, seq: i + 1 };
    const hash = chainHash(prev, body);
    const row = { seq: i + 1, prevHash: prev, hash, body };
    prev = hash;
    return row;
  });
}

const body = fc.record({
  action: fc.constantFrom('unit.create', 'auth.login', 'user.disable'),
  actorUsername: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
  objectId: fc.option(fc.uuid(), { nil: null }),
  result: fc.constantFrom('success', 'failure'),
  changes: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.record({ old: fc.jsonValue(), new: fc.jsonValue() }), { maxKeys: 3 }), { nil: null }),
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
  it('is the same for objects equal up to key order', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
      const reversed = Object.fromEntries(Object.entries(o).reverse());
      expect(canonicalJson(reversed)).toBe(canonicalJson(o));
    }));
  });
});

describe('verifyChain', () => {
  it('hand-checked: the first hash of a known row', () => {
    // sha256("000…0" + '{"action":"x","seq":1}') computed with `printf … | sha256sum`
    expect(chainHash(genesisHash, { seq: 1, action: 'x' })).toBe('7457f7dca53a975667ff05ead23680b1e6cbd6c2bf510c8d49afd6fe96b6e130');
  });

  it('accepts an intact chain', () => {
    fc.assert(fc.property(fc.array(body, { maxLength: 20 }), (bodies) => {
      expect(verifyChain(buildChain(bodies))).toEqual({ ok: true, checked: bodies.length });
    }));
  });

  it('property: tampering any field of any row is reported at that row', () => {
    fc.assert(
      fc.property(fc.array(body, { minLength: 1, maxLength: 15 }), fc.nat(), fc.nat(), fc.string({ minLength: 1, maxLength: 6 }), (bodies, rowPick, fieldPick, junk) => {
        const chain = buildChain(bodies);
        const index = rowPick % chain.length;
        const row = chain[index]!;
        const fields = Object.keys(row.body).filter((k) => k !== 'seq');
        const field = fields[fieldPick % fields.length]!;
        const tampered = { ...row, body: { ...row.body, [field]: `${JSON.stringify(row.body[field])}${junk}` } };
        chain[index] = tampered;
        const result = verifyChain(chain);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.seq).toBe(row.seq);
      }),
    );
  });

  it('names the row after a deleted one, and a rewritten hash breaks the next link', () => {
    const chain = buildChain([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]);
    const withoutSecond = [chain[0]!, chain[2]!, chain[3]!];
    expect(verifyChain(withoutSecond)).toMatchObject({ ok: false, seq: 3 });
    const rehashed = chain.map((r) => ({ ...r }));
    rehashed[1] = { ...rehashed[1]!, body: { ...rehashed[1]!.body, a: 99 } };
    rehashed[1].hash = chainHash(rehashed[1].prevHash, rehashed[1].body);
    expect(verifyChain(rehashed)).toMatchObject({ ok: false, seq: 3, reason: 'previous hash does not match' });
  });

  it('property: verifying in pages, each from where the last ended, agrees with verifying at once', () => {
    fc.assert(
      fc.property(fc.array(body, { minLength: 2, maxLength: 20 }), fc.nat(), (bodies, cut) => {
        const chain = buildChain(bodies);
        const at = 1 + (cut % (chain.length - 1));
        const first = verifyChain(chain.slice(0, at));
        const last = chain[at - 1]!;
        const second = verifyChain(chain.slice(at), { seq: last.seq, hash: last.hash });
        expect(first).toEqual({ ok: true, checked: at });
        expect(second).toEqual({ ok: true, checked: chain.length - at });
      }),
    );
  });
});
