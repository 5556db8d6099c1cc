import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/session";
import { SYSTEM_FORM_OPTIONS } from "../_components/options";
import { SystemForm } from "../_components/system-form";

export const metadata: Metadata = { title: "Connect a system" };

export default async function NewSystemPage() {
  await pageContext("systems.manage");
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Systems", href: "/systems" }, { label: "Connect a system" }]}
        title="Connect a system"
        description="Tell Lockstep how to act on a system: who owns it, how critical it is, and the connector that revokes access there. Once saved, test the connection."
      />
      <div className="max-w-4xl">
        <SystemForm
          options={SYSTEM_FORM_OPTIONS}
          initial={{
            name: "",
            category: "saas",
            criticality: "medium",
            owner: null,
            description: "",
            connectorKind: "scim",
            simulated: false,
            deprovisionMode: "deactivate",
            maxConcurrency: 4,
            baseUrl: "",
            clientId: "",
            clientAuth: "client_secret_basic",
            tokenEndpoint: "",
            revocationEndpoint: "",
            introspectionEndpoint: "",
            webhookUrl: "",
            secretEnv: "",
            timeoutMs: null,
          }}
        />
      </div>
    </>
  );
}
