import "server-only";
import { z } from "zod";
import { resourceTypeDoc, resourceTypeNamed, schemaDoc, schemaNamed, serviceProviderConfig } from "./discovery";
import { ScimError } from "./errors";
import { baseUrl, scimJson, scimRoute } from "./http";
import { listResponse } from "./list";
import { RESOURCES, SCHEMAS } from "./schemas";

/** RFC 7644 §4 discovery endpoints as route specs (app/scim/v2 wires them with defineRoute). */
const params = z.object({ id: z.string() });

export const serviceProviderConfigEndpoint = scimRoute({
  name: "scim.discovery",
  handler: async ({ request }) => scimJson(serviceProviderConfig(baseUrl(request))),
});

export const resourceTypesEndpoint = scimRoute({
  name: "scim.discovery",
  handler: async ({ request }) =>
    scimJson(
      listResponse(
        RESOURCES.map((r) => resourceTypeDoc(r, baseUrl(request))),
        RESOURCES.length,
        1,
      ),
    ),
});

export const resourceTypeEndpoint = scimRoute({
  name: "scim.discovery",
  params,
  async handler({ request, params }) {
    const def = resourceTypeNamed(params.id);
    if (!def) throw new ScimError(404, null, `No resource type "${params.id.slice(0, 64)}".`);
    return scimJson(resourceTypeDoc(def, baseUrl(request)));
  },
});

export const schemasEndpoint = scimRoute({
  name: "scim.discovery",
  handler: async ({ request }) =>
    scimJson(
      listResponse(
        SCHEMAS.map((s) => schemaDoc(s, baseUrl(request))),
        SCHEMAS.length,
        1,
      ),
    ),
});

export const schemaEndpoint = scimRoute({
  name: "scim.discovery",
  params,
  async handler({ request, params }) {
    const schema = schemaNamed(params.id);
    if (!schema) throw new ScimError(404, null, `No schema "${params.id.slice(0, 200)}".`);
    return scimJson(schemaDoc(schema, baseUrl(request)));
  },
});
