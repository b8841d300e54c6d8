/** A message that reads two ways (a takeover report that also complains): the person says which. Pure. */
import { type Card, button, buttonRow, card, markdown, md } from './kit.ts';

export interface IntentChoiceView {
  /** The message as shown in this chat (phones masked in groups), shortened. */
  text: string;
  grievance: Record<string, unknown>;
  takeover: Record<string, unknown>;
  cancel: Record<string, unknown>;
}

export function intentChoiceCard(v: IntentChoiceView): Card {
  return card(
    '请确认这条消息的用途',
    [
      markdown(`您的消息：${md(v.text)}\n这条消息既像**群众诉求**，也像**入驻信息**。请选择要办理的事项（选择前不会记录）：`),
      buttonRow([button('登记为诉求', v.grievance, 'primary'), button('记录入驻', v.takeover), button('取消', v.cancel)]),
    ],
    { template: 'yellow', summary: '请确认消息用途' },
  );
}
