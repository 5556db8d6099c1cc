/**
 * Response headers every page carries (hardening finding 7), built per request because the Content-Security-Policy
 * holds a fresh nonce: Next.js reads the nonce from the request's CSP header and puts it on its own scripts, so no
 * inline script runs without it ('strict-dynamic' lets those scripts load the app's chunks). Styles allow inline
 * attributes (charts and the progress bars set widths), which cannot run code. Runs in the proxy: no Node APIs.
 */
export type SecurityHeaderOptions = {
  nonce: string;
  /** Served over https (directly or behind the proxy): adds HSTS. Browsers ignore HSTS over http anyway. */
  https: boolean;
  /** `next dev` needs eval for fast refresh. */
  dev: boolean;
  /** The OIDC issuer's origin: sign-in posts a form that redirects there, which `form-action` must allow. */
  formTargets: readonly string[];
};

function contentSecurityPolicy(o: SecurityHeaderOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${o.formTargets.map((t) => ` ${t}`).join("")}`,
    "frame-ancestors 'none'",
    ...(o.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function securityHeaders(o: SecurityHeaderOptions): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(o),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    // Passkeys are this origin's own; nothing else a governance console needs from the device.
    "permissions-policy":
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), publickey-credentials-get=(self), publickey-credentials-create=(self)",
    "cross-origin-opener-policy": "same-origin",
    ...(o.https ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** The origin of a configured URL, or nothing when it is missing or not a URL. */
export function originOf(url: string | undefined): string[] {
  try {
    return url ? [new URL(url).origin] : [];
  } catch {
    return [];
  }
}
