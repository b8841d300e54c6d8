import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildRegistry } from '../../src/bot/registry.ts';
import { defineCommand } from '../../src/bot/command.ts';
import { parseArgs, tokenize } from '../../src/bot/args.ts';
import { features } from '../../commands/index.ts';

const cmd = (name: string, aliases: string[] = []) =>
  defineCommand({ name, aliases, summary: '', usage: name, examples: [], access: 'anyone', args: z.object({}), handler: async () => undefined });

describe('command registry', () => {
  it('fails at start when two commands claim one name', () => {
    expect(() => buildRegistry([cmd('进度', ['progress']), cmd('覆盖', ['progress'])])).toThrow(/"progress" is claimed by both 进度 and 覆盖/);
  });

  it('builds from every command in commands/ without clashes', () => {
    const registry = buildRegistry(features.flatMap((f) => f.commands ?? []), features.flatMap((f) => f.cardActions ?? []));
    expect(registry.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['帮助', '我是谁', '进度', '绑定', '解绑', '绑定群']));
  });

  it('matches Chinese and English names, longest first, case-insensitively', () => {
    const registry = buildRegistry([cmd('进度', ['progress', 'coverage progress', 'coverage']), cmd('绑定', ['bind']), cmd('绑定群', ['bindchat'])]);
    expect(registry.match('进度 梅园社区')).toMatchObject({ command: { name: '进度' }, rest: '梅园社区' });
    expect(registry.match('Coverage Progress')).toMatchObject({ command: { name: '进度' }, rest: '' });
    expect(registry.match('绑定群 专班')).toMatchObject({ command: { name: '绑定群' }, rest: '专班' });
    expect(registry.match('ＰＲＯＧＲＥＳＳ')).toMatchObject({ command: { name: '进度' } });
    expect(registry.match('progressive')).toBeNull();
    expect(registry.match('福源公寓已入驻')).toBeNull();
  });

  it('takes a command word after a verb such as 导出 or 帮我看看, and only when a command follows', () => {
    const registry = buildRegistry([cmd('进度', ['progress']), cmd('调度表', ['report'])]);
    expect(registry.match('导出调度表')).toMatchObject({ command: { name: '调度表' }, rest: '' });
    expect(registry.match('帮我下载调度表 10月1日')).toMatchObject({ command: { name: '调度表' }, rest: '10月1日' });
    expect(registry.match('帮我看看进度')).toMatchObject({ command: { name: '进度' }, rest: '' });
    expect(registry.match('看看福源公寓')).toBeNull();
    expect(registry.match('导出')).toBeNull();
  });

  it('suggests close command names for a typo', () => {
    const registry = buildRegistry([cmd('进度', ['progress']), cmd('帮助', ['help'])]);
    expect(registry.suggest('progres')).toEqual(['进度']);
    expect(registry.suggest('hlep')).toEqual(['帮助']);
    expect(registry.suggest('完全无关的话')).toEqual([]);
  });
});

describe('argument parsing', () => {
  it('splits words and resolves mention placeholders in order', () => {
    const input = tokenize('@_user_2  社区　梅园社区', [{ key: '@_user_2', openId: 'ou_x', name: '张三' }]);
    expect(input.words).toEqual(['社区', '梅园社区']);
    expect(input.mentions).toEqual([{ key: '@_user_2', openId: 'ou_x', name: '张三' }]);
  });

  it('returns the schema messages when arguments are wrong', () => {
    const schema = z.object({ words: z.array(z.string()) }).refine((i) => i.words.length === 2, { message: '需要两个参数' });
    expect(parseArgs(schema, tokenize('一', []))).toEqual({ ok: false, problems: ['需要两个参数'] });
    expect(parseArgs(schema, tokenize('一 二', []))).toMatchObject({ ok: true });
  });
});
