import { defineRoute } from "@/lib/edge/route";
import { myNotices } from "@/lib/notices/queries";

/** The bell polls this: the caller's latest notices and unread count. */
export const GET = defineRoute({
  name: "notice.list",
  permission: "dashboard.view",
  async handler({ ctx }) {
    const { items, unread } = await myNotices(ctx, { limit: 15 });
    return Response.json({ items, unread }, { headers: { "cache-control": "no-store" } });
  },
});
