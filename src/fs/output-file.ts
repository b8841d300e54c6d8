import fs from 'node:fs';
import path from 'node:path';

/** A file the CLI was asked to write was refused; nothing was written. */
export class OutputRefused extends Error {}

/** The files SQLite keeps for one database (the file itself and its journals). */
function databaseFiles(dbPath: string): string[] {
  const base = path.resolve(dbPath);
  return [base, `${base}-wal`, `${base}-shm`, `${base}-journal`];
}

function sameFile(a: fs.Stats, b: fs.Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Checks that `target` may be written: never the live database (or its journals, under any name: a hard link or
 * a symlinked folder is the same file), never through a symbolic link, and not over an existing file unless
 * `force`. Returns the absolute path to write.
 */
export function checkOutputFile(target: string, opts: { force?: boolean; protect?: string[] } = {}): string {
  const dest = path.resolve(target);
  let own: fs.Stats | null = null;
  try {
    own = fs.lstatSync(dest);
  } catch {
    own = null;
  }
  if (own?.isSymbolicLink()) throw new OutputRefused(`${target} is a symbolic link; write to a real path instead`);
  if (own?.isDirectory()) throw new OutputRefused(`${target} is a folder; give a file name`);
  const real = resolvedPath(dest);
  for (const p of (opts.protect ?? []).filter((x) => x && x !== ':memory:').flatMap(databaseFiles)) {
    let sameInode = false;
    if (own) {
      try {
        sameInode = sameFile(fs.statSync(p), own);
      } catch {
        sameInode = false;
      }
    }
    if (resolvedPath(p) === real || sameInode) throw new OutputRefused(`${target} is the bot's database file (${p}); choose another file`);
  }
  if (own && !opts.force) throw new OutputRefused(`${target} already exists; add --force to overwrite it`);
  return dest;
}

/** The absolute path with the symbolic links of its folder resolved (the file itself need not exist). */
function resolvedPath(p: string): string {
  const abs = path.resolve(p);
  try {
    return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
  } catch {
    return abs;
  }
}

/**
 * Writes a whole file or nothing: the data goes to a new file next to `dest` (created exclusively, so nothing
 * planted there is followed) and is then renamed over it.
 */
export function writeFileAtomic(dest: string, data: Uint8Array): void {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const partial = `${dest}.partial-${process.pid}`;
  try {
    fs.writeFileSync(partial, data, { flag: 'wx' });
    fs.renameSync(partial, dest);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}
