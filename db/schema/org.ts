import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { consoleRole, employmentType, identityKind, identityStatus } from "./enums";

export const departments = pgTable(
  "departments",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    name: text().notNull(),
    code: text().notNull().unique(),
    parentId: integer().references((): AnyPgColumn => departments.id, { onDelete: "restrict" }),
  },
  (t) => [uniqueIndex("departments_name_uq").on(t.name), index("departments_parent_idx").on(t.parentId)],
);

/**
 * People and non-human identities (service accounts, API clients, AI agents) of the governed organisation.
 * A non-human identity has an accountable human owner; it is orphaned when that owner is no longer active.
 */
export const identities = pgTable(
  "identities",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kind: identityKind().notNull().default("human"),
    displayName: text().notNull(),
    email: text(),
    /**
     * The login name a provisioning client (SCIM `userName`) knows the person by, when it is not their email.
     * SCIM reads `coalesce(user_name, email)`, unique case-insensitively (lib/scim).
     */
    userName: text(),
    employeeNumber: text(),
    departmentId: integer().references(() => departments.id, { onDelete: "restrict" }),
    managerId: integer().references((): AnyPgColumn => identities.id, { onDelete: "set null" }),
    ownerId: integer().references((): AnyPgColumn => identities.id, { onDelete: "set null" }),
    employmentType: employmentType(),
    status: identityStatus().notNull().default("active"),
    title: text(),
    location: text(),
    hireDate: date({ mode: "string" }),
    terminationDate: date({ mode: "string" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("identities_email_uq").on(sql`lower(${t.email})`),
    uniqueIndex("identities_employee_number_uq").on(t.employeeNumber),
    // SCIM userName (RFC 7643: unique, case-insensitive); also the index `userName eq "…"` filters read.
    uniqueIndex("identities_user_name_uq").on(sql`lower(coalesce(${t.userName}, ${t.email}))`),
    index("identities_department_idx").on(t.departmentId),
    index("identities_manager_idx").on(t.managerId),
    index("identities_owner_idx").on(t.ownerId),
    index("identities_status_kind_idx").on(t.status, t.kind),
    // Directory order for keyset pagination: name, then id.
    index("identities_name_id_idx").on(sql`lower(${t.displayName})`, t.id),
    index("identities_search_trgm_idx").using(
      "gin",
      sql`(lower(${t.displayName}) || ' ' || coalesce(lower(${t.email}), '') || ' ' || coalesce(${t.employeeNumber}, '')) gin_trgm_ops`,
    ),
    check("identities_human_has_no_owner", sql`${t.kind} <> 'human' OR ${t.ownerId} IS NULL`),
    check("identities_not_own_manager", sql`${t.managerId} IS NULL OR ${t.managerId} <> ${t.id}`),
  ],
);

/** Who may use the console, and as what. Roles are read from here on every request, so removal is immediate. */
export const consoleRoles = pgTable(
  "console_roles",
  {
    identityId: integer()
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    role: consoleRole().notNull(),
    grantedById: integer().references(() => identities.id, { onDelete: "set null" }),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.identityId, t.role] }), index("console_roles_role_idx").on(t.role)],
);
