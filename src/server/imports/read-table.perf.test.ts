import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInChild } from './perf/read-in-child';

// A timing check, not a timed assertion: it prints the figures for the 100 000-row goal
// (readTable ≤ 3× exceljs's bare streaming read, peak memory < 400 MB) and asserts only the
// row counts. Each reader runs in its own process so that its peak RSS is its own.

const rowCount = 100_000;
let dir = '';
let file = '';

const measure = (mode: 'bare' | 'readTable') => readInChild(mode, file);

describe('readTable: 100 000-row workbook', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pacesetter-import-perf-'));
    file = join(dir, 'measurements.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
    const sheet = workbook.addWorksheet('实际值');
    sheet.addRow(['单位编码', '指标编码', '期间', '实际值', '备注']).commit();
    for (let i = 0; i < rowCount; i += 1) {
      const month = (i % 12) + 1;
      sheet.addRow([`DJ${i % 500}`, `X${i % 40}`, `20${10 + (i % 15)}-${String(month).padStart(2, '0')}`, (i * 37.25) % 100_000, i % 7 ? '' : `第${i}行`]).commit();
    }
    sheet.commit();
    await workbook.commit();
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints readTable against exceljs bare streaming', async () => {
    const bare = await measure('bare');
    const ours = await measure('readTable');
    console.log(
      `100k rows × 5 columns: exceljs bare WorkbookReader ${bare.ms} ms (peak RSS ${bare.peakRssMiB} MiB); ` +
        `readTable ${ours.ms} ms (peak RSS ${ours.peakRssMiB} MiB, baseline ${ours.baselineRssMiB} MiB); ` +
        `ratio ${(ours.ms / bare.ms).toFixed(2)}×`,
    );
    expect(bare.rows).toBe(rowCount + 1);
    expect(ours.rows).toBe(rowCount);
  }, 180_000);
});
