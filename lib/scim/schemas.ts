/**
 * The schemas Lockstep serves (RFC 7643 §4, §8.7): core User, the enterprise User extension and Group, as data.
 * The same definitions answer `/Schemas`, and drive how bodies are read (names are case-insensitive, Entra's
 * string booleans become booleans) and what PATCH may touch (readOnly attributes are refused).
 */
type AttrType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";

export type AttrDef = {
  name: string;
  type: AttrType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttrDef[];
};

export type SchemaDef = { id: string; name: string; description: string; attributes: AttrDef[] };

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const attr = (name: string, type: AttrType, description: string, o: Partial<AttrDef> = {}): AttrDef => ({
  name,
  type,
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...o,
});
const str = (name: string, description: string, o: Partial<AttrDef> = {}) => attr(name, "string", description, o);
const complex = (name: string, description: string, subAttributes: AttrDef[], o: Partial<AttrDef> = {}) =>
  attr(name, "complex", description, { subAttributes, ...o });

/** A multi-valued attribute with RFC 7643's usual sub-attributes (value, display, type, primary). */
function multi(
  name: string,
  description: string,
  o: { types?: string[]; value?: Partial<AttrDef>; extra?: AttrDef[]; mutability?: Mutability } = {},
): AttrDef {
  return complex(
    name,
    description,
    [
      str("value", `The ${name} value.`, o.value),
      str("display", "A human-readable name, primarily used for display purposes.", { mutability: "readWrite" }),
      str("type", "A label indicating the attribute's function.", o.types ? { canonicalValues: o.types } : {}),
      attr("primary", "boolean", "Whether this is the primary value."),
      ...(o.extra ?? []),
    ],
    { multiValued: true, mutability: o.mutability ?? "readWrite" },
  );
}

const USER_SCHEMA: SchemaDef = {
  id: CORE_USER,
  name: "User",
  description: "User Account",
  attributes: [
    str("userName", "Unique identifier for the User, typically used to sign in. Unique case-insensitively.", {
      required: true,
      uniqueness: "server",
    }),
    complex("name", "The components of the user's real name.", [
      str("formatted", "The full name, formatted for display."),
      str("familyName", "The family name."),
      str("givenName", "The given name."),
      str("middleName", "The middle name(s)."),
      str("honorificPrefix", "The honorific prefix(es)."),
      str("honorificSuffix", "The honorific suffix(es)."),
    ]),
    str("displayName", "The name of the User, suitable for display to end-users."),
    str("nickName", "The casual way to address the user."),
    attr("profileUrl", "reference", "A URI pointing to the user's online profile.", { referenceTypes: ["external"] }),
    str("title", "The user's title, such as Vice President."),
    str("userType", "The relationship between the organization and the user.", {
      canonicalValues: ["Employee", "Contractor", "Intern", "Vendor"],
    }),
    str("preferredLanguage", "The user's preferred written or spoken language."),
    str("locale", "The user's default location for localization."),
    str("timezone", "The user's time zone in the IANA format."),
    attr("active", "boolean", "The user's administrative status. false opens a leaver case in Lockstep."),
    str("password", "Accepted and discarded: Lockstep never stores passwords.", {
      mutability: "writeOnly",
      returned: "never",
    }),
    multi("emails", "Email addresses for the user.", { types: ["work", "home", "other"] }),
    multi("phoneNumbers", "Phone numbers for the user.", {
      types: ["work", "home", "mobile", "fax", "pager", "other"],
    }),
    multi("ims", "Instant messaging addresses for the user."),
    multi("photos", "URLs of photos of the user.", { value: { type: "reference", referenceTypes: ["external"] } }),
    complex(
      "addresses",
      "A physical mailing address for this user.",
      [
        str("formatted", "The full mailing address."),
        str("streetAddress", "The street address."),
        str("locality", "The city or locality."),
        str("region", "The state or region."),
        str("postalCode", "The zip code or postal code."),
        str("country", "The country name (ISO 3166-1 alpha-2)."),
        str("type", "A label indicating the address' function.", { canonicalValues: ["work", "home", "other"] }),
        attr("primary", "boolean", "Whether this is the primary address."),
      ],
      { multiValued: true },
    ),
    multi("groups", "The groups the user belongs to (read-only: change them through /Groups).", {
      mutability: "readOnly",
      value: { mutability: "readOnly" },
      extra: [
        attr("$ref", "reference", "The URI of the group.", { mutability: "readOnly", referenceTypes: ["Group"] }),
      ],
    }),
    multi("entitlements", "Entitlements the user has, as the client says (Lockstep's own come from its systems)."),
    multi("roles", "Roles of the user, as the client says (console roles are never taken from here)."),
    multi("x509Certificates", "Certificates of the user.", { value: { type: "binary" } }),
  ],
};

const ENTERPRISE_SCHEMA: SchemaDef = {
  id: ENTERPRISE_USER,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    str("employeeNumber", "A string identifier assigned by the organization. Unique in Lockstep.", {
      uniqueness: "server",
    }),
    str("costCenter", "Identifies the name of a cost center."),
    str("organization", "Identifies the name of an organization."),
    str("division", "Identifies the name of a division."),
    str("department", "Identifies the name of a department. A new name creates the department in Lockstep."),
    complex("manager", "The user's manager: the id of another User. A change is recorded as a mover.", [
      str("value", "The id of the SCIM resource representing the user's manager.", { caseExact: true }),
      attr("$ref", "reference", "The URI of the manager's resource.", { referenceTypes: ["User"] }),
      str("displayName", "The displayName of the user's manager.", { mutability: "readOnly" }),
    ]),
  ],
};

const GROUP_SCHEMA: SchemaDef = {
  id: CORE_GROUP,
  name: "Group",
  description: "Group",
  attributes: [
    str("displayName", "A human-readable name for the Group. Unique case-insensitively.", {
      required: true,
      uniqueness: "server",
    }),
    complex(
      "members",
      "A list of members of the Group (Users).",
      [
        str("value", "The id of the member's SCIM resource.", { mutability: "immutable", caseExact: true }),
        attr("$ref", "reference", "The URI of the member's resource.", {
          mutability: "immutable",
          referenceTypes: ["User"],
        }),
        str("display", "The member's displayName.", { mutability: "readOnly" }),
        str("type", "The type of the member: User.", { mutability: "immutable", canonicalValues: ["User"] }),
      ],
      { multiValued: true },
    ),
  ],
};

/** id, externalId and meta belong to every resource (RFC 7643 §3.1), outside the schemas' attribute lists. */
export const COMMON_ATTRIBUTES: AttrDef[] = [
  str("id", "A unique identifier for the resource, issued by Lockstep.", {
    mutability: "readOnly",
    returned: "always",
    caseExact: true,
    uniqueness: "server",
  }),
  str("externalId", "An identifier for the resource as defined by the provisioning client.", { caseExact: true }),
  complex(
    "meta",
    "Resource metadata.",
    [
      str("resourceType", "The name of the resource type.", { mutability: "readOnly", caseExact: true }),
      attr("created", "dateTime", "When the resource was added.", { mutability: "readOnly" }),
      attr("lastModified", "dateTime", "When the resource was last changed.", { mutability: "readOnly" }),
      attr("location", "reference", "The URI of the resource.", { mutability: "readOnly" }),
      str("version", "The resource's ETag.", { mutability: "readOnly", caseExact: true }),
    ],
    { mutability: "readOnly" },
  ),
];

/** A resource type: its core schema, its extensions, and where it lives. */
export type ResourceDef = {
  name: "User" | "Group";
  endpoint: "/Users" | "/Groups";
  description: string;
  schema: SchemaDef;
  extensions: SchemaDef[];
};

export const USER_RESOURCE: ResourceDef = {
  name: "User",
  endpoint: "/Users",
  description: "People of the governed organisation (identities of kind human).",
  schema: USER_SCHEMA,
  extensions: [ENTERPRISE_SCHEMA],
};

export const GROUP_RESOURCE: ResourceDef = {
  name: "Group",
  endpoint: "/Groups",
  description: "Directory groups pushed by the provisioning client. They grant nothing in Lockstep.",
  schema: GROUP_SCHEMA,
  extensions: [],
};

export const RESOURCES = [USER_RESOURCE, GROUP_RESOURCE] as const;
export const SCHEMAS = [USER_SCHEMA, ENTERPRISE_SCHEMA, GROUP_SCHEMA] as const;

/** An attribute of a definition by name, case-insensitively (RFC 7643 §2.1). */
export function findAttr(attrs: readonly AttrDef[], name: string): AttrDef | undefined {
  const lower = name.toLowerCase();
  return attrs.find((a) => a.name.toLowerCase() === lower);
}
