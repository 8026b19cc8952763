// Measures one way of reading an .xlsx in a fresh process, so the peak RSS belongs to it alone
// (vitest's worker threads share one process, whose RSS counts every test file running beside).
// Usage: node --import tsx src/server/imports/perf/measure-xlsx-read.ts <bare|readTable> <file.xlsx>
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ImportFileError, readTable } from '../read-table';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'bare' && mode !== 'readTable') || !file) throw new Error('usage: measure-xlsx-read.ts <bare|readTable> <file.xlsx>');

const data = await readFile(file);
const baselineRss = process.memoryUsage().rss;
const started = performance.now();
let rows = 0;
let code: string | null = null;
if (mode === 'bare') {
  // exceljs's streaming reader with its default options, only walking the rows
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {});
  for await (const worksheet of reader) {
    for await (const _row of worksheet) rows += 1;
  }
} else {
  try {
    rows = (await readTable(data)).rows.length;
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    code = error.code; // a refused file is a result too: the hostile-file tests want its code
  }
}
const ms = performance.now() - started;
const peakRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ mode, rows, code, ms: Math.round(ms), baselineRssMiB: Math.round(baselineRss / 2 ** 20), peakRssMiB: Math.round(peakRss / 2 ** 20) }));
