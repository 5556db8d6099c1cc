import { z } from "zod";
import { defineRoute } from "@/lib/edge/route";
import { schemaDoc, schemaNamed } from "@/lib/scim/discovery";
import { ScimError } from "@/lib/scim/errors";
import { baseUrl, scimJson, scimRoute } from "@/lib/scim/http";

export const GET = defineRoute(
  scimRoute({
    name: "scim.discovery",
    params: z.object({ id: z.string() }),
    async handler({ request, params }) {
      const schema = schemaNamed(params.id);
      if (!schema) throw new ScimError(404, null, `No schema "${params.id.slice(0, 200)}".`);
      return scimJson(schemaDoc(schema, baseUrl(request)));
    },
  }),
);
