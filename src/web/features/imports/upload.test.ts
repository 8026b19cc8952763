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
