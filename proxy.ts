import { type NextRequest, NextResponse } from "next/server";
import { originOf, securityHeaders } from "@/lib/edge/security-headers";

/**
 * Two jobs, on every page request: the security headers (a CSP with a fresh nonce, which Next.js applies to its
 * scripts when it finds it on the request), and a cheap redirect to sign-in for requests without a session cookie.
 * The redirect is a convenience, not the security boundary: every page, action and route handler authorizes itself
 * through lib/authz.
 */
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
// Pages anyone may open: sign-in, and recovery enrolment with a pass (the pass is the credential there).
const PUBLIC_PAGES = ["/sign-in", "/enrol"];
// Next.js's own limit for a server action's body (serverActions.bodySizeLimit, 1 MB by default): past it, Next.js
// fails the request with a 500 before any action runs. A declared length over it is refused here, as a 400-class answer.
const ACTION_BODY_LIMIT = 1024 * 1024;

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const headers = securityHeaders({
    nonce,
    https: request.nextUrl.protocol === "https:" || Boolean(process.env.AUTH_URL?.startsWith("https:")),
    dev: process.env.NODE_ENV === "development",
    formTargets: originOf(process.env.LOCKSTEP_OIDC_ISSUER),
  });
  const withHeaders = (response: NextResponse) => {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };

  if (request.headers.has("next-action") && Number(request.headers.get("content-length")) > ACTION_BODY_LIMIT) {
    return withHeaders(
      NextResponse.json({ ok: false, code: "invalid", message: "The request is too large." }, { status: 413 }),
    );
  }

  const path = request.nextUrl.pathname;
  const isPublic = PUBLIC_PAGES.some((p) => path === p || path.startsWith(`${p}/`));
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (isPublic || hasSession) {
    const forwarded = new Headers(request.headers);
    forwarded.set("content-security-policy", headers["content-security-policy"]);
    forwarded.set("x-nonce", nonce);
    return withHeaders(NextResponse.next({ request: { headers: forwarded } }));
  }
  if (path.startsWith("/api/")) {
    return withHeaders(
      NextResponse.json({ ok: false, code: "unauthenticated", message: "Sign in to continue." }, { status: 401 }),
    );
  }
  const url = new URL("/sign-in", request.url);
  if (path !== "/") url.searchParams.set("callbackUrl", path + request.nextUrl.search);
  return withHeaders(NextResponse.redirect(url));
}

export const config = {
  // Everything except Auth.js endpoints, SCIM (/scim/v2) and other bearer-token endpoints (the audit checkpoint feed
  // for monitors: own auth, JSON only) and static assets — and import uploads: with a proxy in front, Next buffers a
  // request body whole and silently cuts it at 10 MB; those route handlers answer 401 themselves (defineRoute).
  matcher: [
    "/((?!api/auth|api/scim|scim/|api/audit/checkpoints/feed|api/imports|_next/static|_next/image|favicon.ico).*)",
  ],
};
