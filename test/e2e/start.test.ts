import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

function start(input: string, env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-start-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LARK_') && k !== 'API_TOKEN' && k !== 'BOT_NOW' && k !== 'ADMIN_OPEN_IDS'));
  return spawnSync(tsx, ['src/main.ts'], {
    cwd: root,
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...clean, DB_PATH: path.join(dir, 'bot.db'), LOG_LEVEL: 'warn', ...env },
  });
}

describe('npm start', () => {
  it('in local mode, `printf 进度 | npm start` prints the progress summary and exits 0', () => {
    const r = start('进度\n', { BOT_NOW: '2020-09-28T09:00:00+08:00' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('已入驻 0/21');
    for (const c of ['梅园社区', '紫薇社区', '丰泽社区', '东、西鲁社区']) expect(r.stdout).toContain(c);
  }, 60_000);

  it('drives the same pipeline for /as, bindings and /chat', () => {
    const r = start(['/as 张三', '进度', '/as 管理员', '绑定 @张三 社区 梅园社区', '/as 张三', '进度', '/chat 梅园社区', '我是谁'].join('\n'), {
      BOT_NOW: '2020-09-28T09:00:00+08:00',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('还没有使用此功能的权限');
    expect(r.stdout).toContain('已将 张三 绑定为社区（梅园社区）');
    expect(r.stdout).toContain('【梅园社区物业管理全覆盖进度】');
    expect(r.stdout).toContain('社区工作人员（梅园社区）');
  }, 60_000);

  it('prints every reply of piped input, also those held back by the 5-per-second pacing of one chat', () => {
    const lines = ['帮助', '我是谁', '节点', '未报', '进度', '我是谁', '我是谁', '节点'];
    const r = start(lines.join('\n'), { BOT_NOW: '2020-09-28T09:00:00+08:00' });
    expect(r.status).toBe(0);
    expect(r.stdout.match(/您的 open_id/g)).toHaveLength(3);
    expect(r.stdout.match(/^🤖 /gm)).toHaveLength(lines.length);
  }, 60_000);

  it('numbers the buttons of a card re-drawn after a press apart from those of the next card', () => {
    const lines = ['绑定 @张三 社区 梅园社区', '/as 张三', '建行宿舍 9月21日入驻', '1', '四十中 鑫安物业 9月22日'];
    const r = start(lines.join('\n'), { BOT_NOW: '2020-09-28T09:00:00+08:00' });
    expect(r.status).toBe(0);
    const numbers = [...r.stdout.matchAll(/^\s*\[(\d+)\] /gm)].map((m) => m[1]);
    expect(numbers).toEqual(['1', '2', '3']);
  }, 60_000);

  it('fails fast with one message naming PORT when PORT=abc (and LARK_ENCRYPT_KEY is empty)', () => {
    const r = start('', { PORT: 'abc', LARK_ENCRYPT_KEY: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr.match(/^\s+- /gm)).toHaveLength(1);
    expect(r.stdout).toBe('');
  }, 60_000);
});
