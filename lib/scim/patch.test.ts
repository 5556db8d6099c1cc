import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { applyPatch, readPatch } from "./patch";
import type { Doc } from "./resource";
import { ENTERPRISE_USER, GROUP_RESOURCE, PATCH_OP, USER_RESOURCE } from "./schemas";

const user: Doc = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER],
  id: "42",
  userName: "ada@example.com",
  name: { givenName: "Ada", familyName: "Lovelace" },
  displayName: "Ada Lovelace",
  active: true,
  emails: [
    { value: "ada@example.com", type: "work", primary: true },
    { value: "ada@home.example", type: "home" },
  ],
  [ENTERPRISE_USER]: { department: "Engineering", manager: { value: "7", displayName: "Grace" } },
  meta: { resourceType: "User", version: 'W/"abc"' },
};

const patch = (doc: Doc, ops: unknown[], def = USER_RESOURCE) =>
  applyPatch(def, doc, readPatch({ schemas: [PATCH_OP], Operations: ops }));
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return { status: err.status, scimType: err.scimType };
    throw err;
  }
  throw new Error("expected a refusal");
};

describe("PATCH as Okta sends it", () => {
  it("replaces active without a path, and repeats the read-only id harmlessly", () => {
    const out = patch(user, [{ op: "replace", value: { id: "42", active: false } }]);
    expect(out.active).toBe(false);
    expect(out.id).toBe("42");
    expect(user.active).toBe(true); // the input is left alone
  });

  it("replaces name parts and adds an email without a path", () => {
    const out = patch(user, [
      { op: "replace", value: { name: { givenName: "Augusta" } } },
      { op: "add", value: { emails: [{ value: "ada@other.example", type: "other" }], nickName: "Ada" } },
    ]);
    expect(out.name).toEqual({ givenName: "Augusta", familyName: "Lovelace" });
    expect((out.emails as Doc[]).map((e) => e.value)).toEqual([
      "ada@example.com",
      "ada@home.example",
      "ada@other.example",
    ]);
    expect(out.nickName).toBe("Ada");
  });

  it("removes a group member through a value filter", () => {
    const group: Doc = { id: "1", displayName: "Eng", members: [{ value: "1" }, { value: "2" }] };
    const out = patch(group, [{ op: "remove", path: 'members[value eq "2"]' }], GROUP_RESOURCE);
    expect(out.members).toEqual([{ value: "1" }]);
  });
});

describe("PATCH as Entra sends it", () => {
  it("takes capitalised op names, string booleans and path-less values whose keys are paths", () => {
    const out = patch(user, [
      { op: "Replace", path: "active", value: "False" },
      {
        op: "Add",
        value: {
          "name.givenName": "Augusta",
          [`${ENTERPRISE_USER}:department`]: "Research",
          [`${ENTERPRISE_USER}:employeeNumber`]: "E-1",
        },
      },
    ]);
    expect(out.active).toBe(false);
    expect(out.name).toEqual({ givenName: "Augusta", familyName: "Lovelace" });
    expect(out[ENTERPRISE_USER]).toMatchObject({ department: "Research", employeeNumber: "E-1" });
  });

  it("changes the work email through a value-filter path, and creates it when there is none", () => {
    const out = patch(user, [{ op: "Replace", path: 'emails[type eq "work"].value', value: "ada@new.example" }]);
    expect((out.emails as Doc[])[0]).toEqual({ value: "ada@new.example", type: "work", primary: true });
    const bare = { ...user, emails: undefined };
    const created = patch(bare, [{ op: "Add", path: 'emails[type eq "work"].value', value: "ada@new.example" }]);
    expect(created.emails).toEqual([{ type: "work", value: "ada@new.example" }]);
    // A filter that is not plain eq tests cannot say what to create.
    expect(refusal(() => patch(bare, [{ op: "Replace", path: 'emails[type co "w"].value', value: "x" }]))).toEqual({
      status: 400,
      scimType: "noTarget",
    });
  });

  it("sets the manager from a bare string and removes it", () => {
    const out = patch(user, [{ op: "Replace", path: `${ENTERPRISE_USER}:manager`, value: "9" }]);
    expect((out[ENTERPRISE_USER] as Doc).manager).toEqual({ value: "9", displayName: "Grace" });
    const removed = patch(user, [{ op: "Remove", path: `${ENTERPRISE_USER}:manager`, value: [{ value: "7" }] }]);
    expect(removed[ENTERPRISE_USER]).toEqual({ department: "Engineering" });
  });

  it("removes group members given as the value of a remove on members", () => {
    const group: Doc = { id: "1", displayName: "Eng", members: [{ value: "1" }, { value: "2" }, { value: "3" }] };
    const out = patch(
      group,
      [{ op: "Remove", path: "members", value: [{ value: "1" }, { value: "3" }] }],
      GROUP_RESOURCE,
    );
    expect(out.members).toEqual([{ value: "2" }]);
  });
});

describe("PATCH semantics and refusals", () => {
  it("keeps one primary value", () => {
    const out = patch(user, [{ op: "add", path: "emails", value: [{ value: "new@x.example", primary: true }] }]);
    expect((out.emails as Doc[]).filter((e) => e.primary).map((e) => e.value)).toEqual(["new@x.example"]);
  });

  it("removes a value by filter, a sub-attribute, and a whole attribute", () => {
    expect(patch(user, [{ op: "remove", path: 'emails[type eq "home"]' }]).emails).toHaveLength(1);
    expect(patch(user, [{ op: "remove", path: "name.familyName" }]).name).toEqual({ givenName: "Ada" });
    expect(patch(user, [{ op: "remove", path: "name" }]).name).toBeUndefined();
  });

  it("refuses read-only attributes (mutability), unknown paths (invalidPath) and bad values (invalidValue)", () => {
    expect(refusal(() => patch(user, [{ op: "replace", path: "id", value: "43" }]))).toEqual({
      status: 400,
      scimType: "mutability",
    });
    expect(refusal(() => patch(user, [{ op: "replace", value: { id: "43" } }]))).toEqual({
      status: 400,
      scimType: "mutability",
    });
    expect(refusal(() => patch(user, [{ op: "add", path: "groups", value: [{ value: "1" }] }]))).toEqual({
      status: 400,
      scimType: "mutability",
    });
    expect(refusal(() => patch(user, [{ op: "remove", path: "userName" }]))).toEqual({
      status: 400,
      scimType: "mutability",
    });
    expect(refusal(() => patch(user, [{ op: "replace", path: "favouriteColour", value: "blue" }]))).toEqual({
      status: 400,
      scimType: "invalidPath",
    });
    expect(refusal(() => patch(user, [{ op: "replace", path: "active", value: "maybe" }]))).toEqual({
      status: 400,
      scimType: "invalidValue",
    });
    expect(refusal(() => patch(user, [{ op: "replace", path: "name", value: 5 }]))).toEqual({
      status: 400,
      scimType: "invalidValue",
    });
  });

  it("refuses malformed PatchOp messages", () => {
    const cases: [unknown, string][] = [
      [null, "invalidSyntax"],
      [[], "invalidSyntax"],
      [{ schemas: [PATCH_OP] }, "invalidSyntax"],
      [{ schemas: [PATCH_OP], Operations: [] }, "invalidSyntax"],
      [{ schemas: ["urn:nope"], Operations: [{ op: "add", value: {} }] }, "invalidValue"],
      [{ Operations: [{ op: "move", path: "a" }] }, "invalidSyntax"],
      [{ Operations: [{ op: "remove" }] }, "noTarget"],
      [{ Operations: [{ op: "add", path: "title" }] }, "invalidValue"],
      [{ Operations: [{ op: "add", path: 5, value: 1 }] }, "invalidSyntax"],
      [{ Operations: ["add"] }, "invalidSyntax"],
    ];
    for (const [body, scimType] of cases) {
      expect(
        refusal(() => readPatch(body)),
        JSON.stringify(body),
      ).toEqual({ status: 400, scimType });
    }
  });
});
