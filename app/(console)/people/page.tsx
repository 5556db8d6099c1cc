import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { FilterBar } from "@/components/ui/filter-bar";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { PageHeader } from "@/components/ui/page-header";
import { humanize } from "@/components/ui/status";
import { identityKind, identityStatus } from "@/db/schema/enums";
import { can, peopleReach } from "@/lib/authz";
import { queryOf } from "@/lib/input";
import { listDepartments, listPeople } from "@/lib/people/queries";
import { peopleListInput } from "@/lib/people/schemas";
import { pageContext } from "@/lib/session";
import { PeopleTable } from "./_components/people-table";

export const metadata: Metadata = { title: "People" };

type Search = Record<string, string | undefined>;

export default async function PeoplePage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext("people.read");
  const params = await searchParams;
  const input = queryOf(peopleListInput, params);
  const [page, departments] = await Promise.all([listPeople(ctx, input), listDepartments(ctx)]);
  const filterQuery = new URLSearchParams(
    Object.entries({
      q: input.q,
      department: input.department?.toString(),
      kind: input.kind,
      status: input.status,
    }).filter((e): e is [string, string] => Boolean(e[1])),
  ).toString();

  return (
    <>
      <PageHeader
        title="People"
        description={
          peopleReach(ctx.actor) === "team"
            ? "Your reports at every level, and the service accounts, API clients and agents your team owns."
            : "Everyone and everything that holds access: people, service accounts, API clients and AI agents."
        }
      />
      <Card>
        <FilterBar
          action="/people"
          q={input.q}
          searchPlaceholder="Search name, email or employee number"
          selects={[
            {
              name: "department",
              label: "Department",
              value: input.department,
              options: departments.map((d) => ({ value: d.id, label: d.name })),
            },
            {
              name: "kind",
              label: "Kind",
              value: input.kind,
              options: identityKind.enumValues.map((k) => ({ value: k, label: humanize(k) })),
            },
            {
              name: "status",
              label: "Status",
              value: input.status,
              options: identityStatus.enumValues.map((s) => ({ value: s, label: humanize(s) })),
            },
          ]}
          exportHref={
            can(ctx.actor, "people.export") ? `/api/people/export${filterQuery ? `?${filterQuery}` : ""}` : undefined
          }
        />
        <PeopleTable rows={page.items} />
        <KeysetPager
          basePath="/people"
          params={params}
          next={page.next}
          prev={page.prev}
          shown={page.items.length}
          noun="identities"
        />
      </Card>
    </>
  );
}
