/**
 * Local mode as a person meets it: `tsx src/main.ts` in a pseudo-terminal (util-linux `script`), typed at line by
 * line, asserting on what the screen shows.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, until } from '../support/wait.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = tempDir('bot-tty-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[>=]|\r/g;

class Terminal {
  private raw = '';
  private mark = 0;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(env: Record<string, string>) {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LARK_') && !['API_TOKEN', 'BOT_NOW', 'ADMIN_OPEN_IDS', 'LOG_LEVEL'].includes(k)));
    // `script` gives the bot a real terminal: stdin.isTTY is true, as for a person at `npm start`.
    this.child = spawn('script', ['-qfec', `${tsx} src/main.ts`, '/dev/null'], {
      cwd: root,
      env: { ...clean, DB_PATH: path.join(dir, 'bot.db'), COLUMNS: '200', LINES: '50', TERM: 'xterm', ...env },
    });
    this.child.stdout.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.child.stderr.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Everything the screen has shown, escape sequences removed. */
  get screen(): string {
    return this.raw.replace(ANSI, '');
  }

  /** What the screen showed since the last `type`. */
  get latest(): string {
    return this.raw.slice(this.mark).replace(ANSI, '');
  }

  async waitFor(what: string | RegExp, timeoutMs = 60_000): Promise<string> {
    const seen = () => (typeof what === 'string' ? this.latest.includes(what) : what.test(this.latest));
    await until(seen, `the screen to show ${String(what)}; it shows:\n${this.latest.slice(-1500)}`, timeoutMs, 50);
    return this.latest;
  }

  /** Types a line and presses Enter, as at a keyboard. */
  type(line: string): void {
    this.mark = this.raw.length;
    this.child.stdin.write(`${line}\r`);
  }

  async say(line: string, expectOnScreen: string | RegExp): Promise<string> {
    this.type(line);
    return this.waitFor(expectOnScreen);
  }
}

describe('local mode in a terminal', () => {
  it('shows a prompt and echoes what is typed, takes @机器人, local commands, buttons, forms and multi-line messages, and tells time in Beijing time', async () => {
    const t = new Terminal({});
    // No BOT_NOW and the 2020 campaign over: the clock starts at the first report period, said once.
    await t.waitFor('管理员@私聊> ');
    expect(t.screen).toContain('本地模式的时钟从第一个报送期开始：2020-09-14 08:30（北京时间）');

    const progress = await t.say('@机器人 进度', '分社区情况');
    expect(t.screen).toContain('管理员@私聊> @机器人 进度');
    expect(progress).toContain('物业覆盖：已入驻 0/21');
    expect(progress).not.toContain('@_user');
    expect(progress.match(/（图表：请在飞书中查看）/g)).toHaveLength(1);
    expect(progress).toContain('未确认：梅园社区；紫薇社区；丰泽社区；东、西鲁社区');

    expect(await t.say('/foo', '本地命令')).toContain('没有“/foo”这个本地命令');
    expect(await t.say('99', '按钮')).toContain('没有编号为 99 的按钮');
    expect(await t.say('/help', '/quit')).toContain('退出');

    await t.say('绑定 @张三 社区 梅园社区', '已将 张三 绑定为社区（梅园社区）');
    await t.say('/chat 梅园社区', '现在在「梅园社区」群聊');
    await t.say('绑定群 梅园社区', '已将本群');
    await t.say('/as 张三', '张三@梅园社区> ');

    // A report typed over two lines: a trailing backslash continues it.
    t.type('福源公寓已入驻，鑫安物业，外聘，9月10日进驻 \\');
    await t.waitFor('… ');
    const recorded = await t.say('负责人王强 13905321234', '已记录');
    expect(recorded).toContain('负责人：王强');
    expect(recorded).toContain('139****1234');

    const card = await t.say('小区 福源公寓', '保存');
    const save = /\[(\d+)\] 保存/.exec(card)![1];
    const saved = await t.say(`${save} remarks=业委会 正在筹备 manager=王强`, '备注：业委会 正在筹备');
    expect(saved).toContain('已保存');

    const prompt = await t.say('/time 2020-09-14T09:00', '调度表报送');
    expect(prompt).toContain('（时间已设为 2020-09-14 09:00（北京时间））');
    expect(prompt).toContain('［梅园社区］');
    expect(prompt).toContain('@张三');

    const skipped = await t.say('/time 2020-09-16T18:00', '条过期提醒');
    expect(skipped).toMatch(/已跳过 \d+ 条过期提醒/);
    expect(skipped.match(/已跳过/g)).toHaveLength(1);
    expect(t.screen).not.toContain('{"level"');

    t.type('/quit');
    expect(await t.exited).toBe(0);
    expect(t.screen).toContain('已退出本地模式');
  }, 180_000);

  it('after a restart still prints bound groups and people by name', async () => {
    const t = new Terminal({ BOT_NOW: '2020-09-28T08:00:00+08:00' });
    await t.waitFor('管理员@私聊> ');
    expect(t.screen).not.toContain('第一个报送期');
    const prompt = await t.say('/time 2020-09-29T09:00', '调度表报送');
    expect(prompt).toContain('［梅园社区］');
    expect(prompt).toContain('@张三');
    expect(prompt).not.toContain('oc_local_');
    expect(prompt).not.toContain('ou_local_');
    t.type('/quit');
    expect(await t.exited).toBe(0);
  }, 120_000);
});
