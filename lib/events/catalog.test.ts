import { describe, expect, it } from "vitest";
import { EVENTS, eventLabel } from "./catalog";

describe("event labels (timelines and the audit log never show raw keys)", () => {
  it("names every catalogued event, and events recorded under the tasks' earlier name", () => {
    for (const [name, spec] of Object.entries(EVENTS)) expect(eventLabel(name)).toBe(spec.label);
    expect(eventLabel("revocation.verify")).toBe(EVENTS["remediation.verify"].label);
    expect(eventLabel("revocation.execute")).toBe(EVENTS["remediation.execute"].label);
  });
  it("turns an unknown key into words rather than showing it raw", () => {
    expect(eventLabel("legacy.thing_done")).toBe("Legacy thing done");
  });
});
