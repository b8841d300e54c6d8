import { z } from 'zod';

const id = z.string().min(1).max(256);

export const challengeSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string().min(1).max(1024),
  token: z.string().max(256).optional(),
});

export const headerSchema = z.object({
  event_id: id,
  event_type: z.string().min(1).max(128),
  create_time: z.string().max(32).optional(),
  token: z.string().max(256).optional(),
  app_id: z.string().max(128).optional(),
  tenant_key: z.string().max(128).optional(),
});

export const v2EnvelopeSchema = z.object({
  schema: z.literal('2.0'),
  header: headerSchema,
  event: z.record(z.string(), z.unknown()),
});

const userIdSchema = z.object({ open_id: z.string().max(128).optional(), union_id: z.string().max(128).optional(), user_id: z.string().max(128).optional() });

export const messageEventSchema = z.object({
  sender: z.object({
    sender_id: userIdSchema.optional(),
    sender_type: z.string().max(32).optional(),
  }),
  message: z.object({
    message_id: id,
    root_id: z.string().max(256).optional().nullable(),
    parent_id: z.string().max(256).optional().nullable(),
    create_time: z.string().max(32).optional(),
    chat_id: id,
    chat_type: z.string().max(32),
    message_type: z.string().max(32),
    content: z.string().max(200_000),
    mentions: z
      .array(z.object({ key: z.string().max(64), id: userIdSchema.optional(), name: z.string().max(200).optional().default('') }))
      .optional()
      .default([]),
  }),
});

export const cardEventSchema = z.object({
  operator: z.object({ open_id: id, name: z.string().max(200).optional() }).passthrough(),
  token: z.string().max(256).optional(),
  action: z.object({
    value: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    tag: z.string().max(64).optional(),
    name: z.string().max(128).optional(),
    option: z.string().max(512).optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    input_value: z.string().max(10_000).optional(),
  }),
  context: z.object({ open_message_id: z.string().max(256).optional(), open_chat_id: z.string().max(256).optional() }).optional(),
});

export type V2Envelope = z.infer<typeof v2EnvelopeSchema>;
export type MessageEvent = z.infer<typeof messageEventSchema>;
export type CardEvent = z.infer<typeof cardEventSchema>;
