import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export class LockedError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded database's single-process lock: PGlite takes none of its own, and two
 * processes writing one data directory corrupt it. A lock left by a dead process is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  // Beside the directory, not inside it: a dump of the directory must not carry the lock along.
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const file = `${dataDir}.lock`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      return () => {
        try {
          if (readFileSync(file, 'utf8') === mine) rmSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; host?: string; since?: string } = {};
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as typeof holder;
      } catch {
        /* unreadable lock: treat as stale */
      }
      const sameHost = holder.host === undefined || holder.host === hostname();
      if (holder.pid && holder.pid !== process.pid && sameHost && isAlive(holder.pid)) {
        throw new LockedError(
          `The embedded database in ${dataDir} is in use by another Pacesetter process (pid ${holder.pid}, since ${holder.since ?? '?'}). ` +
            'Embedded mode allows one process at a time: stop that process first, or use PostgreSQL (DATABASE_URL) to run several.',
        );
      }
      if (holder.pid === process.pid) throw new LockedError(`The embedded database in ${dataDir} is already open in this process.`);
      rmSync(file, { force: true });
    }
  }
  throw new LockedError(`Could not take the lock on ${dataDir}`);
}
