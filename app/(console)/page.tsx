import { redirect } from "next/navigation";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { can } from "@/lib/authz";
import { requireActor } from "@/lib/session";

/** Landing: each role goes to the first area it may use (executives and most roles: the dashboard). */
export default async function Home() {
  const actor = await requireActor();
  const first = NAV_ITEMS.find((item) => can(actor, item.permission));
  redirect(first?.href ?? "/sign-in");
}
