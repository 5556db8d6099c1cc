import { defineRoute } from "@/lib/edge/route";
import { toEntry } from "@/lib/reviews/inbox-dto";
import { reviewInbox } from "@/lib/reviews/queries";
import { inboxInput } from "@/lib/reviews/schemas";

/** The next page of the reviewer's inbox (the first comes with the page). */
export const GET = defineRoute({
  name: "review.inbox",
  permission: "reviews.decide",
  query: inboxInput,
  async handler({ ctx, query }) {
    const page = await reviewInbox(ctx, query);
    return Response.json(
      { items: page.items.map(toEntry), next: page.next },
      { headers: { "cache-control": "no-store" } },
    );
  },
});
