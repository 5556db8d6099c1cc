import { MAX_RESULTS } from "./list";
import type { Doc } from "./resource";
import { RESOURCES, type ResourceDef, SCHEMAS, type SchemaDef } from "./schemas";

/** RFC 7644 §4: what this service provider supports, its resource types and their schemas. */
export function serviceProviderConfig(base: string): Doc {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Provisioning token",
        description:
          "A bearer token created in Lockstep (Settings → Provisioning, or npm run scim:token -- --name <client>).",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypeDoc(def: ResourceDef, base: string): Doc {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
    id: def.name,
    name: def.name,
    endpoint: def.endpoint,
    description: def.description,
    schema: def.schema.id,
    schemaExtensions: def.extensions.map((e) => ({ schema: e.id, required: false })),
    meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/${def.name}` },
  };
}

export function schemaDoc(schema: SchemaDef, base: string): Doc {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes,
    meta: { resourceType: "Schema", location: `${base}/Schemas/${schema.id}` },
  };
}

export const resourceTypeNamed = (id: string) => RESOURCES.find((r) => r.name.toLowerCase() === id.toLowerCase());
export const schemaNamed = (id: string) => SCHEMAS.find((s) => s.id.toLowerCase() === id.toLowerCase());
