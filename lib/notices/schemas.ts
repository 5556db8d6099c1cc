import { z } from "zod";
import { id } from "@/lib/input";

/** Marks the given notices read, or (without ids) every unread notice of the caller. */
export const markReadInput = z.object({ noticeIds: z.array(id).min(1).max(200).optional() });
