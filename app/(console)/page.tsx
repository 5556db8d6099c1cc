import { redirect } from "next/navigation";
import { navFor } from "@/components/shell/nav-items";
import { can } from "@/lib/authz";
import { requireActor } from "@/lib/session";

/** Landing: each role goes to the first area it may use (executives and most roles: the dashboard). */
export default async function Home() {
  const actor = await requireActor();
  const [first] = navFor((p) => can(actor, p));
  redirect(first?.href ?? "/sign-in");
}
