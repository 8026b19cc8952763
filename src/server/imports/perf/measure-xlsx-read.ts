// Measures one way of reading an .xlsx in a fresh process, so the peak RSS belongs to it alone.
// Usage: node --import tsx src/server/imports/perf/measure-xlsx-read.ts <bare|readTable> <file.xlsx>
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readTable } from '../read-table';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'bare' && mode !== 'readTable') || !file) throw new Error('usage: measure-xlsx-read.ts <bare|readTable> <file.xlsx>');

const data = await readFile(file);
const baselineRss = process.memoryUsage().rss;
const started = performance.now();
let rows = 0;
if (mode === 'bare') {
  // exceljs's streaming reader with its default options, only walking the rows
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {});
  for await (const worksheet of reader) {
    for await (const _row of worksheet) rows += 1;
  }
} else {
  rows = (await readTable(data)).rows.length;
}
const ms = performance.now() - started;
const peakRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ mode, rows, ms: Math.round(ms), baselineRssMiB: Math.round(baselineRss / 2 ** 20), peakRssMiB: Math.round(peakRss / 2 ** 20) }));
