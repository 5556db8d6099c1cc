import { employmentType } from "@/db/schema/enums";
import { invalidValue as invalid, ScimError } from "../errors";
import { etagOf } from "../etag";
import { type Doc, readResource } from "../resource";
import { CORE_USER, ENTERPRISE_USER, USER_RESOURCE } from "../schemas";
import type { UserRow } from "./rows";

/** Where Users that name no department are filed (read back through SCIM as no department). */
export const UNASSIGNED_DEPARTMENT = "Unassigned (SCIM)";

/**
 * A person as a SCIM User and back. Lockstep's own columns hold what it governs by — userName, display name,
 * the (work) email, title, employee number, department, manager, status (`active`), employment type
 * (`userType`) — and `scim_users.attributes` keeps the rest as the client sent it (name parts, phone numbers,
 * cost center…), so a GET answers what was written.
 */
type EmploymentType = (typeof employmentType.enumValues)[number];

export type UserState = {
  userName: string;
  externalId: string | null;
  displayName: string;
  email: string | null;
  active: boolean;
  title: string | null;
  employeeNumber: string | null;
  department: string | null;
  managerId: number | null;
  /** From `userType` when it names one ("Employee", "contractor"…); null leaves the column as it is. */
  employmentType: EmploymentType | null;
  attributes: Doc;
};

const clean = (o: Doc): Doc => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The email Lockstep keeps from a list: the primary one, else the work one, else the first. */
function chosenEmail(list: Doc[]): number {
  const primary = list.findIndex((e) => e.primary === true);
  if (primary >= 0) return primary;
  const work = list.findIndex((e) => String(e.type ?? "").toLowerCase() === "work");
  return Math.max(work, 0);
}

function emailsOf(sent: unknown, email: string | null): Doc[] | undefined {
  if (Array.isArray(sent) && sent.length > 0) {
    const list = (sent as Doc[]).map((e) => ({ ...e }));
    const i = chosenEmail(list);
    // The column wins: an import or the console may have changed the address since the client sent it.
    if (email === null) list.splice(i, 1);
    else list[i].value = email;
    return list.length ? list : undefined;
  }
  return email ? [{ value: email, type: "work", primary: true }] : undefined;
}

export function userDoc(row: UserRow, base: string): Doc {
  const { [ENTERPRISE_USER]: sentEnterprise, emails, userType, ...core } = (row.attributes ?? {}) as Doc;
  const ext = (sentEnterprise ?? {}) as Doc;
  const enterprise = clean({
    employeeNumber: row.employeeNumber,
    costCenter: ext.costCenter,
    organization: ext.organization,
    division: ext.division,
    department: row.department === UNASSIGNED_DEPARTMENT ? undefined : row.department,
    manager: row.managerId
      ? clean({ value: String(row.managerId), $ref: `${base}/Users/${row.managerId}`, displayName: row.managerName })
      : undefined,
  });
  const hasEnterprise = Object.keys(enterprise).length > 0;
  const doc = clean({
    schemas: hasEnterprise ? [CORE_USER, ENTERPRISE_USER] : [CORE_USER],
    id: String(row.id),
    externalId: row.externalId,
    ...core,
    userName: row.userName ?? String(row.id),
    displayName: row.displayName,
    title: row.title,
    userType: userType ?? (row.employmentType ? capitalise(row.employmentType) : undefined),
    active: row.status === "active",
    emails: emailsOf(emails, row.email),
    groups: row.groups.length
      ? row.groups.map((g) => ({
          value: String(g.id),
          display: g.name,
          $ref: `${base}/Groups/${g.id}`,
          type: "direct",
        }))
      : undefined,
    [ENTERPRISE_USER]: hasEnterprise ? enterprise : undefined,
    meta: {
      resourceType: "User",
      created: row.createdAt.toISOString(),
      lastModified: row.lastModified.toISOString(),
      location: `${base}/Users/${row.id}`,
    },
  });
  (doc.meta as Doc).version = etagOf(doc);
  return doc;
}

const text = (v: unknown, max = 1000): string | null => {
  if (typeof v !== "string") return null;
  const t = v.trim();
  if (t.length > max) throw invalid(`A value is longer than ${max} characters.`);
  return t === "" ? null : t;
};

/** Which columns a User sets, read from its Doc (already checked against the schemas by `readResource`/PATCH). */
export function userState(doc: Doc, fallbackActive: boolean): UserState {
  const userName = text(doc.userName, 256);
  if (!userName) throw invalid('"userName" is required.');
  const {
    schemas: _s,
    id: _i,
    meta: _m,
    groups: _g,
    password: _p,
    externalId,
    userName: _u,
    displayName,
    title,
    active,
    [ENTERPRISE_USER]: ent,
    ...rest
  } = doc;
  const { employeeNumber, department, manager, ...entRest } = (ent ?? {}) as Doc;
  const managerValue = (manager as Doc | undefined)?.value;
  if (managerValue !== undefined && !/^\d{1,9}$/.test(String(managerValue))) {
    throw invalid('"manager.value" must be the id of a User in Lockstep.');
  }
  const emails = Array.isArray(rest.emails) ? (rest.emails as Doc[]) : [];
  const name = (rest.name ?? {}) as Doc;
  const derivedName =
    text(name.formatted) ??
    ([name.givenName, name.familyName]
      .filter((v) => typeof v === "string")
      .join(" ")
      .trim() ||
      null);
  const kind = typeof rest.userType === "string" ? rest.userType.trim().toLowerCase() : "";
  const known = (employmentType.enumValues as readonly string[]).includes(kind);
  return {
    userName,
    externalId: text(externalId, 256),
    displayName: text(displayName, 256) ?? derivedName ?? userName,
    email: emails.length ? text(emails[chosenEmail(emails)].value, 320) : null,
    active: typeof active === "boolean" ? active : fallbackActive,
    title: text(title, 256),
    employeeNumber: text(employeeNumber, 64),
    department: text(department, 256),
    managerId: managerValue !== undefined ? Number(managerValue) : null,
    employmentType: known ? (kind as EmploymentType) : null,
    // A userType naming an employment type lives in its column (an HR import may change it); others are kept.
    attributes: clean({
      ...rest,
      userType: known ? undefined : rest.userType,
      [ENTERPRISE_USER]: Object.keys(entRest).length ? entRest : undefined,
    }),
  };
}

export const userNotFound = (id: string) => new ScimError(404, null, `No User with id "${id.slice(0, 64)}".`);

/** A POST or PUT body as a User Doc (unknown attributes refused, read-only ones ignored). */
export const readUser = (body: unknown) => readResource(USER_RESOURCE, body);
