import { getDb } from "@/db/client";
import type { Actor } from "@/lib/authz";
import { type Ctx, makeCtx } from "@/lib/context";
import { HTTP_STATUS, toFailure } from "@/lib/errors";
import { assertAllowed, type EdgeMeta, isNextSignal } from "./edge";

export type RouteSpec<P> = EdgeMeta & {
  handler: (args: { ctx: Ctx; request: Request; params: P }) => Promise<Response>;
};

export async function runRoute<P>(
  spec: RouteSpec<P>,
  actor: Actor | null,
  request: Request,
  context: { params: Promise<P> },
): Promise<Response> {
  try {
    const allowed = assertAllowed(actor, spec.permission);
    const ctx = makeCtx(allowed, await getDb(), new Date(), {
      ip: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || undefined,
      userAgent: request.headers.get("user-agent") ?? undefined,
    });
    return await spec.handler({ ctx, request, params: await context.params });
  } catch (err) {
    if (isNextSignal(err)) throw err;
    const failure = toFailure(err);
    const status = failure.code === "internal" ? 500 : HTTP_STATUS[failure.code];
    return Response.json(failure, { status });
  }
}
