import { expect, test } from "./support/test";

/**
 * The analyst brings an HR roster in on the Import a file page (reached from the navigation): a first roster
 * creates a team lead; the next one previews a joiner reporting to them, the lead's promotion (a mover) and a row
 * with an error (its line and reason), and confirming writes the joiner and the move — the joiner is then in People
 * with their manager.
 */
test.use({ persona: "analyst" });
test.setTimeout(120_000);

const upload = (name: string, csv: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
const HEADER = "employee_number,email,name,title,department,manager";

async function previewRoster(page: import("@playwright/test").Page, name: string, csv: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Imports" }).click();
  await page.getByRole("navigation", { name: "Kind of file" }).getByRole("link", { name: "HR roster" }).click();
  await expect(page).toHaveURL(/\/imports\?kind=hr_people$/);
  // The page may not be hydrated yet when the file is set (the change would be lost): set it until the page shows it.
  await expect(async () => {
    await page.getByLabel("File to import").setInputFiles(upload(name, csv));
    await expect(page.getByText(name, { exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  return page.getByRole("table", { name: "Import preview" });
}

test("an analyst imports an HR roster: joiner, mover and an error line in the preview; the joiner is in People with their manager", async ({
  page,
}) => {
  await page.goto("/dashboard");
  const first = await previewRoster(
    page,
    "roster-1.csv",
    `${HEADER}\nE2E-IMP-1,quinn.setup@example.com,Quinn Setup,Engineer,Import Guild,\n`,
  );
  await expect(first.getByRole("row").filter({ hasText: "line 2" })).toContainText(
    'New person; creates department "Import Guild".',
  );
  await page.getByRole("button", { name: "3. Confirm: import 1 rows" }).click();
  await expect(page.getByTestId("import-result")).toContainText("joined 1");

  // The next roster: a joiner reporting to the lead, the lead promoted, and a row without a name.
  const csv = [
    HEADER,
    "E2E-IMP-2,rene.joiner@example.com,Rene Joiner,Engineer,Import Guild,E2E-IMP-1",
    "E2E-IMP-1,quinn.setup@example.com,Quinn Setup,Head of Imports,Import Guild,",
    "E2E-IMP-3,nameless@example.com,,Engineer,Import Guild,",
  ].join("\n");
  const preview = await previewRoster(page, "roster-2.csv", csv);
  const summary = page.getByTestId("import-summary");
  await expect(summary).toContainText("2 to import");
  await expect(summary).toContainText("1 with errors");
  await expect(preview.getByRole("row").filter({ hasText: "line 2" })).toContainText("join");
  await expect(preview.getByRole("row").filter({ hasText: "line 2" })).toContainText("manager Quinn Setup");
  const mover = preview.getByRole("row").filter({ hasText: "line 3" });
  await expect(mover).toContainText("move");
  await expect(mover).toContainText("title: Engineer → Head of Imports.");
  await expect(preview.getByRole("row").filter({ hasText: "line 4" })).toContainText("A new person needs a name.");

  await page.getByRole("button", { name: "3. Confirm: import 2 rows" }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("joined 1");
  await expect(result).toContainText("moved 1");

  await page.goto("/people?q=Rene%20Joiner");
  await page.getByRole("link", { name: "Rene Joiner" }).click();
  await expect(page.getByRole("heading", { name: "Rene Joiner" })).toBeVisible();
  await expect(page.getByText("E2E-IMP-2", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Quinn Setup" }).click();
  await expect(page.getByRole("heading", { name: "Quinn Setup" })).toBeVisible();
  await expect(page.getByText("Head of Imports").first()).toBeVisible();
});
