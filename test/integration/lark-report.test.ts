import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { ADMIN } from '../support/harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { messageEvent, signedRequest } from '../support/lark-events.ts';

let fake: FakeLarkApi | null = null;
let bot: Awaited<ReturnType<typeof startLarkBot>> | null = null;
afterEach(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('调度表 through Lark', () => {
  it('uploads the workbook to im/v1/files and replies to the request with a file message', async () => {
    const clock = new ManualClock('2020-09-29T10:00:00+08:00');
    fake = await new FakeLarkApi(clock).start();
    bot = await startLarkBot({ fake, clock });
    const ev = messageEvent({ senderOpenId: ADMIN, text: '调度表', botOpenId: FAKE_BOT_OPEN_ID });
    expect((await bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    await bot.runtime.settle();
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]!.fileName).toBe('住宅小区物业管理全覆盖进展情况调度表-2020-10-01.xlsx');
    const upload = fake.calls.find((c) => c.path === '/open-apis/im/v1/files')!;
    expect(upload.parts).toEqual(expect.arrayContaining(['file_type', 'file_name', 'file']));
    const file = fake.deliveries.find((d) => d.msgType === 'file')!;
    expect(file).toMatchObject({ kind: 'reply', target: ev.event.message.message_id, content: { file_key: fake.uploads[0]!.fileKey } });
    // The same workbook is available from the API.
    const res = await fetch(`${bot.base}/api/v1/report.xlsx?due=2020-10-01`, { headers: { authorization: 'Bearer api-token' } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(String(wb.worksheets[0]!.getCell('A1').value)).toContain('住宅小区物业管理全覆盖进展情况调度表');
    const bad = await fetch(`${bot.base}/api/v1/report.xlsx?due=2020-02-31`, { headers: { authorization: 'Bearer api-token' } });
    expect(bad.status).toBe(400);
  });
});
