// Runs measure-xlsx-read.ts in a fresh Node process and returns what it measured, so a memory
// figure belongs to one read alone and not to the test files that vitest runs beside it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface ChildRead {
  rows: number;
  /** The ImportFileError code when the file was refused, else null. */
  code: string | null;
  ms: number;
  baselineRssMiB: number;
  peakRssMiB: number;
}

const run = promisify(execFile);

/** Reads `file` (a path, or the bytes themselves) in a child process with `mode`'s reader. */
export async function readInChild(mode: 'bare' | 'readTable', file: string | Buffer): Promise<ChildRead> {
  const dir = typeof file === 'string' ? null : await mkdtemp(join(tmpdir(), 'pacesetter-read-'));
  const path = dir ? join(dir, 'input.xlsx') : (file as string);
  try {
    if (dir) await writeFile(path, file as Buffer);
    const script = join(import.meta.dirname, 'measure-xlsx-read.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, mode, path], { cwd: process.cwd() });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildRead;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** Peak RSS over the process's RSS once the file had been loaded, in MiB. */
export const growthMiB = (read: ChildRead) => read.peakRssMiB - read.baselineRssMiB;
