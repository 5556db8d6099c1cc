import { PERSONAS } from "./support/personas";
import { expectAreaAccess, expectNavigation, expectSignedInAs, test } from "./support/test";

const priya = PERSONAS.admin;
test.use({ persona: "admin" });

test("the administrator reaches every area", async ({ page }) => {
  await page.goto("/");
  await expectSignedInAs(page, priya);
  await expectNavigation(page, priya);
  await expectAreaAccess(page, priya);
});
