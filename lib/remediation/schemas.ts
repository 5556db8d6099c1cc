import { z } from "zod";
import { id, ids, text } from "@/lib/input";

export const taskInput = z.object({ taskId: id });
export const queueInput = z.object({ taskIds: ids });
export const confirmInput = z.object({
  taskId: id,
  ticket: text(300)
    .optional()
    .transform((v) => v || undefined),
  note: text(2000).pipe(z.string().min(3, "Say what you checked (at least a few words).")),
});
export const waiveInput = z.object({
  taskId: id,
  reason: text(1000).pipe(z.string().min(10, "Give the reason in a sentence (10 characters at least).")),
});
export const handoverInput = z.object({ taskId: id, newOwnerId: id });
export const ownerSearchInput = z.object({ q: text(100).pipe(z.string().min(1)) });
