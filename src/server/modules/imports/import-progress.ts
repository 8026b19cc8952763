import type { ImportProgress } from './imports.schemas';

/** How long a finished import's last state stays readable (the page polls until it has the answer). */
const keepMs = 10 * 60_000;

/**
 * Where each running import stands, per user and client-chosen id, so the page can show more
 * than an upload bar while a large file is checked and written. Kept in this process's memory:
 * the poll goes to the server that runs the import (the same one, behind a sticky load balancer).
 */
export function importProgressBoard(now: () => Date) {
  const entries = new Map<string, { state: ImportProgress; at: number }>();
  const key = (userId: string, id: string) => `${userId}/${id}`;

  function sweep() {
    const limit = now().getTime() - keepMs;
    for (const [k, e] of entries) if (e.at < limit) entries.delete(k);
  }

  return {
    /** A reporter for one import; a no-op when the client sent no id. */
    reporter(userId: string, id: string | undefined) {
      if (!id) return (_state: ImportProgress) => {};
      sweep();
      return (state: ImportProgress) => {
        entries.set(key(userId, id), { state, at: now().getTime() });
      };
    },
    get(userId: string, id: string): ImportProgress | undefined {
      sweep();
      return entries.get(key(userId, id))?.state;
    },
  };
}
export type ImportProgressBoard = ReturnType<typeof importProgressBoard>;
export type ProgressReporter = ReturnType<ImportProgressBoard['reporter']>;
