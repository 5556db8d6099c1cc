import { describe, expect, it } from "vitest";
import { originOf, securityHeaders } from "./security-headers";

describe("security headers", () => {
  const base = { nonce: "abc", https: false, dev: false, formTargets: [] };

  it("allow scripts only with the nonce, no framing, no plugins; eval only in development", () => {
    const csp = securityHeaders(base)["content-security-policy"];
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(securityHeaders({ ...base, dev: true })["content-security-policy"]).toContain("'unsafe-eval'");
  });

  it("send HSTS and upgrade requests only over https", () => {
    expect(securityHeaders(base)["strict-transport-security"]).toBeUndefined();
    const https = securityHeaders({ ...base, https: true });
    expect(https["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(https["content-security-policy"]).toContain("upgrade-insecure-requests");
  });

  it("let the sign-in form go to the configured identity provider and nowhere else", () => {
    const csp = securityHeaders({ ...base, formTargets: originOf("https://idp.example.com/realms/x") })[
      "content-security-policy"
    ];
    expect(csp).toContain("form-action 'self' https://idp.example.com;");
    expect(originOf("not a url")).toEqual([]);
    expect(originOf(undefined)).toEqual([]);
  });
});
