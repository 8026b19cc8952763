import { describe, expect, it } from 'vitest';
import { overallProgress } from './upload';

describe('overallProgress', () => {
  it('gives the upload the first fifth and the server the rest', () => {
    expect(overallProgress(50, undefined)).toMatchObject({ percent: 10, step: 'uploading' });
    // Until the server answers, a finished upload stays at 20 %.
    expect(overallProgress(100, undefined)).toMatchObject({ percent: 20, step: 'uploading' });
    expect(overallProgress(100, { phase: 'reading', rows: null, written: null, toWrite: null })).toMatchObject({ percent: 25, step: 'reading' });
    expect(overallProgress(100, { phase: 'checking', rows: 1200, written: null, toWrite: null })).toMatchObject({ percent: 40, rows: 1200 });
    expect(overallProgress(100, { phase: 'writing', rows: 1000, written: 500, toWrite: 1000 })).toMatchObject({ percent: 75, written: 500, toWrite: 1000 });
    expect(overallProgress(100, { phase: 'done', rows: 1000, written: null, toWrite: null }).percent).toBe(100);
  });

  it('follows a streamed .xlsx by the rows written against the rows it declares, and never goes back when the read ends', () => {
    expect(overallProgress(100, { phase: 'reading', rows: 5000, written: 0, toWrite: null, expectedRows: 20_000 })).toMatchObject({ percent: 25, step: 'readingOf', expected: 20_000 });
    expect(overallProgress(100, { phase: 'reading', rows: 15_000, written: 10_000, toWrite: null, expectedRows: 20_000 })).toMatchObject({ percent: 62, step: 'readingOf' });
    // A worksheet that declared fewer rows than it holds stays within the bar.
    expect(overallProgress(100, { phase: 'reading', rows: 30_000, written: 25_000, toWrite: null, expectedRows: 20_000 }).percent).toBe(99);
    // Without a declared size the read is one step, as before.
    expect(overallProgress(100, { phase: 'reading', rows: 5000, written: 0, toWrite: null })).toMatchObject({ percent: 25, step: 'reading', expected: null });
    // Whatever was written when the read ended, the writing phase that follows shows at least as much.
    for (let written = 0; written <= 20_000; written += 500) {
      const read = overallProgress(100, { phase: 'reading', rows: 20_000, written, toWrite: null, expectedRows: 20_000 }).percent;
      expect(overallProgress(100, { phase: 'writing', rows: 20_000, written, toWrite: 20_000 }).percent).toBeGreaterThanOrEqual(read);
    }
  });

  it('never leaves 0–100 and never goes back as writing advances', () => {
    let last = 0;
    for (let written = 0; written <= 1000; written += 50) {
      const { percent } = overallProgress(100, { phase: 'writing', rows: 1000, written, toWrite: 1000 });
      expect(percent).toBeGreaterThanOrEqual(last);
      expect(percent).toBeLessThanOrEqual(99);
      last = percent;
    }
    expect(overallProgress(250, undefined).percent).toBe(20);
  });
});
