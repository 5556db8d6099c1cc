import { type NextRequest, NextResponse } from "next/server";

/**
 * A cheap redirect to sign-in for requests without a session cookie. It is a convenience, not the
 * security boundary: every page, action and route handler authorizes itself through lib/authz.
 */
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ ok: false, code: "unauthenticated", message: "Sign in to continue." }, { status: 401 });
  }
  const url = new URL("/sign-in", request.url);
  if (request.nextUrl.pathname !== "/")
    url.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything except sign-in, recovery enrolment with a pass, Auth.js endpoints, SCIM (/scim/v2) and integration endpoints (own auth) and static assets — and
  // import uploads: with a proxy in front, Next buffers a request body whole and silently cuts it at 10 MB;
  // those route handlers answer 401 themselves (defineRoute).
  matcher: ["/((?!sign-in|enrol|api/auth|api/scim|scim/|api/imports|_next/static|_next/image|favicon.ico).*)"],
};
