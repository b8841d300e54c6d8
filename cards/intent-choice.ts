/** A message that reads two ways (a takeover report that also complains): the person says which. Pure. */
import { type Card, button, buttonRow, card, markdown, md } from './kit.ts';

export interface IntentChoiceView {
  /** The message as shown in this chat (phones masked in groups), shortened. */
  text: string;
  grievance: Record<string, unknown>;
  /** Offered when the message also reads as a takeover report. */
  takeover: Record<string, unknown> | null;
  cancel: Record<string, unknown>;
}

export function intentChoiceCard(v: IntentChoiceView): Card {
  return card(
    '请确认这条消息的用途',
    [
      markdown(
        v.takeover
          ? `您的消息：${md(v.text)}\n这条消息既像**群众诉求**，也像**入驻信息**。请选择要办理的事项（选择前不会记录）：`
          : `您的消息：${md(v.text)}\n这条消息像是一条**群众诉求**。需要登记并分派给职责部门吗？（选择前不会记录）`,
      ),
      buttonRow([
        button('登记为诉求', v.grievance, 'primary'),
        ...(v.takeover ? [button('记录入驻', v.takeover)] : []),
        button('取消', v.cancel),
      ]),
    ],
    { template: 'yellow', summary: '请确认消息用途' },
  );
}
