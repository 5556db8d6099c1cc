import { z } from "zod";
import { defineRoute } from "@/lib/edge/route";
import { resourceTypeDoc, resourceTypeNamed } from "@/lib/scim/discovery";
import { ScimError } from "@/lib/scim/errors";
import { baseUrl, scimJson, scimRoute } from "@/lib/scim/http";

export const GET = defineRoute(
  scimRoute({
    name: "scim.discovery",
    params: z.object({ id: z.string() }),
    async handler({ request, params }) {
      const def = resourceTypeNamed(params.id);
      if (!def) throw new ScimError(404, null, `No resource type "${params.id.slice(0, 64)}".`);
      return scimJson(resourceTypeDoc(def, baseUrl(request)));
    },
  }),
);
