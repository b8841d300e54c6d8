import { describe, expect, it } from 'vitest';
import { DEFAULT_MARGIN_MS, Pacer } from '../../src/outbox/pacer.ts';

/** Issue 12 item 15 / issue 18 item 5: hard sliding windows, counted from when each request leaves. */

const M = DEFAULT_MARGIN_MS;

/** Sends one message to `key` that leaves at `at` (claimed at the same instant). */
function sendAt(p: Pacer, key: string, at: number): void {
  expect(p.waitMs(key, at)).toBe(0);
  const slot = p.reserve(key, at);
  slot.leaving('message', at);
  slot.finish(at);
}

describe('Pacer', () => {
  it('allows 5 sends to one chat in any window, then waits until the oldest is a full window (plus margin) old', () => {
    const p = new Pacer();
    for (const t of [0, 100, 200, 300, 400]) sendAt(p, 'oc_a', t);
    expect(p.waitMs('oc_a', 500)).toBe(1000 + M - 500);
    expect(p.waitMs('oc_b', 500)).toBe(0);
    expect(p.waitMs('oc_a', 1000 + M - 1)).toBe(1);
    sendAt(p, 'oc_a', 1000 + M);
    // Sliding, not fixed: the next one waits for the send at 100 to age out.
    expect(p.waitMs('oc_a', 1000 + M + 1)).toBe(99);
  });

  it('keeps the app under 50 a second and 1000 a minute', () => {
    const p = new Pacer();
    for (let i = 0; i < 50; i++) sendAt(p, `oc_${i}`, i);
    expect(p.waitMs('oc_new', 50)).toBe(1000 + M - 50);
    // 1000 sends at the full per-second rate fill the minute long before it ends.
    const q = new Pacer();
    let t = 0;
    for (let n = 0; n < 1000; n++) {
      const wait = q.waitMs(`oc_${n % 200}`, t);
      t += wait;
      sendAt(q, `oc_${n % 200}`, t);
    }
    expect(t).toBeLessThan(21_000);
    expect(q.waitMs('oc_x', t)).toBe(60_000 + M - t);
    sendAt(q, 'oc_x', 60_000 + M);
  });

  it('counts a send from when its request leaves, not from when it was claimed', () => {
    const p = new Pacer();
    // A file: claimed at 0, its upload leaves at 0, the upload takes 400 ms, then the message leaves.
    expect(p.waitMs('oc_a', 0, 2)).toBe(0);
    const file = p.reserve('oc_a', 0, 2);
    file.leaving('upload', 0);
    file.leaving('message', 400);
    file.finish(410);
    for (const t of [410, 420, 430, 440]) sendAt(p, 'oc_a', t);
    // The window of oc_a starts at 410 (the message, answered 10 ms after it left), not at 0 (the claim).
    expect(p.waitMs('oc_a', 1000)).toBe(1410 + M - 1000);
  });

  it('counts a request until its answer: one that took 300 ms to be answered holds its window from the answer', () => {
    const p = new Pacer();
    const slow = p.reserve('oc_b', 0);
    slow.leaving('message', 0);
    expect(p.waitMs('oc_c', 0)).toBe(0);
    slow.finish(300);
    for (const t of [300, 300, 300, 300]) sendAt(p, 'oc_b', t);
    expect(p.waitMs('oc_b', 1000)).toBe(1300 + M - 1000);
  });

  it('counts a request from its answer as soon as the answer is in, not from when the send was settled', () => {
    const p = new Pacer();
    const file = p.reserve('oc_a', 0, 2);
    file.leaving('upload', 0);
    file.answered('upload', 30);
    file.leaving('message', 30);
    file.answered('message', 34);
    // Settling the outbox row took until 80: the windows keep 30 (upload) and 34 (message), not 80.
    file.finish(80);
    for (const t of [100, 100, 100, 100]) sendAt(p, 'oc_a', t);
    expect(p.waitMs('oc_a', 500)).toBe(1034 + M - 500);
    const q = new Pacer();
    for (let i = 0; i < 48; i++) sendAt(q, `oc_${i}`, 200);
    const f = q.reserve('oc_f', 0, 2);
    f.leaving('upload', 0);
    f.answered('upload', 30);
    f.leaving('message', 30);
    f.finish(80);
    // The upload counts from its answer (30); the message, never answered before the end, from the finish (80).
    expect(q.waitMs('oc_new', 300)).toBe(30 + 1000 + M - 300);
  });

  it('counts sends under way that have not left in every window, so a slow start cannot let a burst through', () => {
    const p = new Pacer();
    const slots = Array.from({ length: 50 }, (_, i) => {
      expect(p.waitMs(`oc_${i}`, 0)).toBe(0);
      return p.reserve(`oc_${i}`, 0);
    });
    // Nothing has left yet, but the quota is taken: only a departure can free it.
    expect(p.waitMs('oc_more', 5000)).toBe(Infinity);
    slots.forEach((s) => s.leaving('message', 5000));
    expect(p.waitMs('oc_more', 5000)).toBe(1000 + M);
    slots.forEach((s) => s.finish(5001));
    expect(p.waitMs('oc_more', 6001 + M)).toBe(0);
  });

  it('forgets requests that never left, and counts a messenger that never says when as sending when it finishes', () => {
    const p = new Pacer(1, 50);
    const failed = p.reserve('oc_a', 0, 2);
    failed.leaving('upload', 0);
    // The upload left, the message never did (e.g. the token fetch failed): the chat is free, the app counts one.
    failed.finish(10);
    expect(p.waitMs('oc_a', 10)).toBe(0);
    const silent = p.reserve('oc_a', 20);
    silent.finish(700);
    expect(p.waitMs('oc_a', 700)).toBe(1000 + M);
  });
});

describe('Pacer margin', () => {
  it('keeps more room after Lark refuses a send for its rate, and shrinks back as sends go through', () => {
    const p = new Pacer();
    expect(p.margin).toBe(M);
    p.rateLimited();
    expect(p.margin).toBe(4 * M);
    p.rateLimited();
    expect(p.margin).toBe(8 * M);
    for (const t of [0, 1, 2, 3, 4]) sendAt(p, 'oc_a', t);
    expect(p.waitMs('oc_a', 10)).toBe(1000 + 8 * M - 10);
    for (let i = 0; i < 10; i++) p.rateLimited();
    expect(p.margin).toBe(500);
    for (let i = 0; i < 1000; i++) p.sent();
    expect(p.margin).toBe(M);
  });
});
