import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../migrations/index.ts';
import { storeEvents } from '../../src/db/inbox-store.ts';

describe('inbox durability', () => {
  it('commits stored events with synchronous=FULL and returns the connection to NORMAL afterwards', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-')), 'bot.db');
    const od = openDatabase(file);
    await migrateToLatest(od.db, migrations);
    const seen: string[] = [];
    const prepare = od.sqlite.prepare.bind(od.sqlite);
    (od.sqlite as unknown as { prepare: (s: string) => unknown }).prepare = (sqlText: string) => {
      seen.push(sqlText.split(' ').slice(0, 4).join(' '));
      return prepare(sqlText);
    };
    expect(od.sqlite.pragma('synchronous', { simple: true })).toBe(1);
    const isNew = await storeEvents(od.db, [
      { eventId: 'ev_a', messageId: 'om_a', kind: 'message', payload: {} },
      { eventId: 'ev_a', messageId: 'om_a', kind: 'message', payload: {} },
    ], new Date('2020-09-28T01:00:00Z'));
    expect(isNew).toEqual([true, false]);
    expect(seen[0]).toBe('PRAGMA synchronous = FULL');
    expect(seen.indexOf('commit')).toBeGreaterThan(seen.indexOf('begin'));
    expect(seen.at(-1)).toBe('PRAGMA synchronous = NORMAL');
    expect(od.sqlite.pragma('synchronous', { simple: true })).toBe(1);
    expect(od.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    await od.close();
  });
});
