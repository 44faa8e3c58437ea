import { z } from "zod";
import type { MessageNode } from "../../conversations/conversation-tree.ts";

export const MessageNodeSchema: z.ZodType<MessageNode> = z.object({
  id: z.uuid(),
  role: z.enum(["user", "assistant", "system"]),
  content: z.string(),
  agent_schema: z.string().nullable(),
  status: z.enum(["complete", "aborted", "error"]),
  depth: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  get children() {
    return z.array(MessageNodeSchema);
  },
});

export const ConversationTreeSchema = z.object({
  id: z.uuid(),
  title: z.string().nullable(),
  user_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  messages: z.array(MessageNodeSchema),
});
