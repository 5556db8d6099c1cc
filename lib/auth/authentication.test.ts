import { describe, expect, it } from "vitest";
import { authenticationAtSignIn, readAuthentication } from "./authentication";

const NOW = new Date("2026-12-01T10:00:00Z");
const NOW_S = NOW.getTime() / 1000;
/** An unsigned JWT shape: only the payload matters here (Auth.js validated the real one before). */
const idToken = (claims: Record<string, unknown>) =>
  ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

describe("what a sign-in records about how the person authenticated", () => {
  it("takes acr, amr and auth_time from the OIDC id_token", () => {
    const account = {
      provider: "oidc",
      id_token: idToken({ sub: "x", acr: "phr", amr: ["hwk", "user"], auth_time: NOW_S - 120 }),
    };
    expect(authenticationAtSignIn(account, NOW)).toEqual({
      method: "oidc",
      acr: "phr",
      amr: ["hwk", "user"],
      authTime: NOW_S - 120,
    });
  });

  it("falls back to the sign-in moment and empty claims when the IdP sends none (or garbage)", () => {
    for (const id_token of [
      idToken({ sub: "x" }),
      idToken({ acr: 3, amr: "pwd", auth_time: "soon" }),
      "not-a-jwt",
      undefined,
    ]) {
      expect(authenticationAtSignIn({ provider: "oidc", id_token }, NOW), String(id_token)).toEqual({
        method: "oidc",
        acr: null,
        amr: [],
        authTime: NOW_S,
      });
    }
  });

  it("records demo sign-ins as such, and nothing for a provider it does not know", () => {
    expect(authenticationAtSignIn({ provider: "demo" }, NOW)).toEqual({
      method: "demo",
      acr: null,
      amr: [],
      authTime: NOW_S,
    });
    expect(authenticationAtSignIn({ provider: "github" }, NOW)).toBeNull();
  });

  it("reads the stored facts back as the actor's, and nothing from a token that predates them", () => {
    const stored = authenticationAtSignIn({ provider: "demo" }, NOW);
    expect(readAuthentication(stored)).toEqual({ method: "demo", acr: null, amr: [], authTime: NOW });
    expect(readAuthentication(undefined)).toBeUndefined();
    expect(readAuthentication({ method: "password", acr: null, amr: [], authTime: NOW_S })).toBeUndefined();
  });
});
