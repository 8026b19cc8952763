import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/server/db/database';
import { migrate } from '../../src/server/db/migrate';
import {
  checkPersonalDataRegistry,
  looksPersonal,
  notPersonal,
  personalDataRegistry,
  tablesRetainedBy,
  type DbColumn,
} from '../../src/server/db/personal-data-registry';
import { createTestDatabase, engines, type TestDatabase } from '../helpers/db';

/** Every column of the public schema, as information_schema reports it. */
async function columnsOf(database: Database): Promise<DbColumn[]> {
  const rows = await database.raw<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position`,
  );
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, dataType: r.data_type }));
}

describe.each(engines)('the personal-data registry against the migrated schema on %s', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await openDatabase(testDb.target);
    await migrate(database);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('declares every column that looks personal, and declares no column that does not exist', async () => {
    const columns = await columnsOf(database);
    const check = checkPersonalDataRegistry(columns);
    // Each list names the columns: an undeclared personal column reads as `table.column` in the failure.
    expect(check.undeclared, 'personal-looking columns missing from src/server/db/personal-data-registry.ts').toEqual([]);
    expect(check.missing, 'registry entries without a column').toEqual([]);
    expect(check.staleNotPersonal, 'notPersonal entries without a column').toEqual([]);
    // The heuristic does catch the known personal columns (a check that can fail).
    const flagged = columns.filter(looksPersonal).map((c) => `${c.table}.${c.column}`);
    expect(flagged).toEqual(
      expect.arrayContaining([
        'people.name', 'people.id_number_enc', 'people.phone_bidx', 'people.photo_enc', 'users.display_name', 'gate_events.temperature_c', 'gate_events.plate',
        'health_declarations.symptoms', 'travel_records.address_enc', 'passes.token_enc', 'donations.donor', 'supply_points.phone', 'case_follow_ups.condition',
      ]),
    );
  });

  it('a migration adding an undeclared personal column (people.passport_no) fails the check, named', async () => {
    await database.raw('ALTER TABLE people ADD COLUMN passport_no text');
    try {
      const check = checkPersonalDataRegistry(await columnsOf(database));
      expect(check.undeclared).toEqual(['people.passport_no']);
    } finally {
      await database.raw('ALTER TABLE people DROP COLUMN passport_no');
    }
    expect(checkPersonalDataRegistry(await columnsOf(database)).undeclared).toEqual([]);
  });
});

describe('the personal-data registry itself', () => {
  const key = (e: { table: string; column: string }) => `${e.table}.${e.column}`;

  it('declares each column once, and never both as personal and as not personal', () => {
    const keys = personalDataRegistry.map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    const declared = new Set(keys);
    expect(notPersonal.map(key).filter((k) => declared.has(k))).toEqual([]);
    expect(notPersonal.filter((e) => e.reason.trim().length < 5)).toEqual([]);
  });

  it('protection matches the column: ciphertext is encrypted, blind indexes are blind indexes', () => {
    const wrong = personalDataRegistry.filter((e) => /_enc$/.test(e.column) !== (e.protection === 'encrypted') || /_bidx$/.test(e.column) !== (e.protection === 'blind-index'));
    expect(wrong.map(key)).toEqual([]);
  });

  it('health, whereabouts and biometric data are sensitive (PIPL art. 28), with a purpose in both languages and a legal basis', () => {
    expect(personalDataRegistry.filter((e) => ['health', 'biometric'].includes(e.class) && !e.sensitive).map(key)).toEqual([]);
    expect(personalDataRegistry.filter((e) => e.class === 'whereabouts' && !e.sensitive).map(key)).toEqual([]);
    expect(personalDataRegistry.filter((e) => !e.purpose.zh.trim() || !e.purpose.en.trim() || e.legalBasis.length === 0).map(key)).toEqual([]);
    // Health data rests on the public-health-emergency basis and goes with the incident, except
    // the gate's temperature, which goes with the gate event.
    expect(personalDataRegistry.filter((e) => e.class === 'health' && !e.legalBasis.includes('13(4)')).map(key)).toEqual([]);
    expect(personalDataRegistry.filter((e) => e.class === 'health' && e.retention.kind !== 'incident').map(key)).toEqual(['gate_events.temperature_c']);
  });

  it('the gate-event retention governs the gate events and the visits (the tables access-purge deletes from)', () => {
    expect(tablesRetainedBy('gateEventRetentionDays')).toEqual(['gate_events', 'visits']);
  });
});
