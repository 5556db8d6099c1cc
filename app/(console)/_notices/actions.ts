"use server";

import { defineAction } from "@/lib/edge/action";
import { markNoticesRead } from "@/lib/notices/commands";
import { markReadInput } from "@/lib/notices/schemas";

export const markNoticesReadAction = defineAction({
  name: "notice.read",
  permission: "dashboard.view",
  input: markReadInput,
  run: ({ ctx, input }) => markNoticesRead(ctx, input),
});
