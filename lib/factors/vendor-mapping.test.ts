import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { authenticatorType } from "@/db/schema/enums";
import { DOC, withTables } from "@/scripts/generate-factor-mapping-doc";
import { mapPerson } from "./import/map";
import { PRIMARY_STRENGTH } from "./strength";
import {
  DEFAULT_LIFT_SETTINGS,
  LIFT_SETTINGS,
  mappingRows,
  targetOf,
  usagesOf,
  VENDOR_METHODS,
  vendorMethod,
} from "./vendor-mapping";

describe("the vendor mapping", () => {
  it("is the table docs/FACTOR-IMPORTS.md shows (regenerate with scripts/generate-factor-mapping-doc.ts)", () => {
    const doc = readFileSync(DOC, "utf8");
    // The formatter pads table cells; compare the tables' content, not their padding.
    const cells = (md: string) => md.replace(/ *\| */g, "|").replace(/\|-+(?=\|)/g, "|-");
    expect(cells(withTables(doc))).toBe(cells(doc));
  });

  it("names each vendor method once, with a real factor type, and every lift with its setting", () => {
    const keys = VENDOR_METHODS.map((v) => `${v.source}:${v.method}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const v of VENDOR_METHODS) {
      for (const t of [v.as, v.lift?.as].filter(Boolean))
        expect(authenticatorType.enumValues, v.method).toContain(t!.type);
      if (v.lift) expect(LIFT_SETTINGS[v.lift.setting].source).toBe(v.source);
      if (v.as) expect(v.primary || v.recovery !== "never", v.method).toBe(true);
    }
  });

  it("never guesses: unknown names are null; Entra display names fold to Graph names", () => {
    expect(vendorMethod("entra", "quantumToken")).toBeNull();
    expect(vendorMethod("okta", "custom_claims")).toBeNull();
    expect(vendorMethod("entra", "Mobile phone")?.method).toBe("mobilePhone");
    expect(vendorMethod("entra", "FIDO2 security key")?.method).toBe("fido2SecurityKey");
    expect(vendorMethod("entra", "Software OATH token")?.method).toBe("softwareOneTimePasscode");
    expect(vendorMethod("okta", "token:software:totp")?.as?.type).toBe("totp");
  });

  it("takes the weaker reading of ambiguous methods until a setting lifts it", () => {
    const push = vendorMethod("okta", "push")!;
    expect(targetOf(push, DEFAULT_LIFT_SETTINGS)?.type).toBe("push_approve");
    expect(targetOf(push, { ...DEFAULT_LIFT_SETTINGS, oktaNumberChallenge: true })?.type).toBe("push_number_match");
    const webauthn = vendorMethod("okta", "webauthn")!;
    expect(PRIMARY_STRENGTH[targetOf(webauthn, DEFAULT_LIFT_SETTINGS)!.type]).toBe(4);
    expect(
      PRIMARY_STRENGTH[targetOf(webauthn, { ...DEFAULT_LIFT_SETTINGS, oktaWebauthnDeviceBound: true })!.type],
    ).toBe(5);
    const rows = mappingRows("okta");
    expect(rows.find((r) => r.method === "push")).toMatchObject({ primary: 1, recovery: null });
    expect(rows.find((r) => r.method === "signed_nonce")).toMatchObject({ primary: 4 });
    expect(rows.find((r) => r.method === "u2f")).toMatchObject({
      primary: 4,
      counts: "Security key (no user verification)",
    });
  });

  it("counts phone, email and app as recovery paths only where self-service reset may apply", () => {
    const phone = vendorMethod("entra", "mobilePhone")!;
    expect(usagesOf(phone, true)).toEqual(["primary", "recovery"]);
    expect(usagesOf(phone, null)).toEqual(["primary", "recovery"]);
    expect(usagesOf(phone, false)).toEqual(["primary"]);
    expect(usagesOf(vendorMethod("entra", "email")!, false)).toEqual([]);
    expect(usagesOf(vendorMethod("okta", "sms")!, null)).toEqual(["primary", "recovery"]);
  });

  it("maps one person: inactive factors and unknown names listed, a temporary pass alone flagged", () => {
    const okta = mapPerson(
      "okta",
      [
        { key: "a", name: "sms", status: "ACTIVE" },
        { key: "b", name: "push", status: "PENDING_ACTIVATION" },
        { key: "c", name: "claims" },
      ],
      { settings: DEFAULT_LIFT_SETTINGS, sspr: null, guest: false },
    );
    expect(okta.factors.map((f) => `${f.usage} ${f.type} ${f.channel}`)).toEqual([
      "primary sms_otp sms",
      "recovery sms_otp sms",
    ]);
    expect(okta.ignored).toEqual([{ method: "push", reason: "PENDING_ACTIVATION: not active, not counted" }]);
    expect(okta.unknown).toEqual(["claims"]);
    const tap = mapPerson(
      "entra",
      [
        { key: "temporaryAccessPass", name: "temporaryAccessPass" },
        { key: "email", name: "email" },
      ],
      {
        settings: DEFAULT_LIFT_SETTINGS,
        sspr: true,
        guest: true,
      },
    );
    expect(tap.flags).toEqual(["guest", "temporary_pass_only"]);
    expect(tap.factors.map((f) => f.type)).toEqual(["email_otp"]);
  });
});
