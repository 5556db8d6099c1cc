import { describe, expect, it } from "vitest";
import { cleanForwarded, trustedProxies } from "./forwarded";

const spoofed = () => ({
  host: "lockstep.example",
  "x-forwarded-for": "203.0.113.9, 10.0.0.7",
  "x-forwarded-host": "evil.example",
  "x-forwarded-proto": "https",
  "x-real-ip": "198.51.100.1",
  forwarded: "for=203.0.113.9",
});

describe("client headers are believed only from a configured proxy", () => {
  it("strips every forwarded header from a direct connection (no proxy configured)", () => {
    const headers: Record<string, string | undefined> = spoofed();
    cleanForwarded(headers, "198.51.100.20", trustedProxies(undefined));
    expect(headers).toEqual({ host: "lockstep.example" });
  });

  it("strips them from a connection that is not one of the configured proxies", () => {
    const headers: Record<string, string | undefined> = spoofed();
    cleanForwarded(headers, "::ffff:198.51.100.20", trustedProxies("10.0.0.0/8"));
    expect(headers["x-forwarded-for"]).toBeUndefined();
    expect(headers["x-forwarded-host"]).toBeUndefined();
  });

  it("through a trusted proxy, takes the right-most address that is not a proxy of ours", () => {
    const headers: Record<string, string | undefined> = spoofed();
    // The caller invented 203.0.113.9; 192.0.2.44 is who reached our load balancer (10.0.0.7) through the edge.
    headers["x-forwarded-for"] = "203.0.113.9, 192.0.2.44, 10.0.0.7";
    cleanForwarded(headers, "::ffff:10.0.0.5", trustedProxies("10.0.0.0/8"));
    expect(headers["x-forwarded-for"]).toBe("192.0.2.44");
    expect(headers["x-forwarded-host"]).toBe("evil.example"); // the proxy's to set (and to overwrite)
    expect(headers["x-real-ip"]).toBeUndefined();
  });

  it("through a trusted proxy that sent no chain, the client is the proxy's connection", () => {
    const headers: Record<string, string | undefined> = { host: "h" };
    cleanForwarded(headers, "127.0.0.1", trustedProxies("127.0.0.1, ::1"));
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it("refuses a setting that is not addresses or ranges, naming the entry", () => {
    expect(() => trustedProxies("10.0.0.0/8, proxy.internal")).toThrow(/"proxy.internal" is not an IP address/);
    expect(() => trustedProxies("10.0.0.0/40")).toThrow(/impossible prefix/);
  });
});
