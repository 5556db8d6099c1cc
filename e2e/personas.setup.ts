import { PERSONAS } from "./support/personas";
import { authFile, expect, expectNavigation, expectSignedInAs, signInAsPersona, test } from "./support/test";

for (const persona of Object.values(PERSONAS)) {
  test(`${persona.name} (${persona.key}) signs in from the sign-in page and sees their navigation`, async ({
    page,
  }) => {
    await signInAsPersona(page, persona);
    // Every role may view the dashboard, so everyone lands there.
    await expect(page).toHaveURL(/\/dashboard$/);
    await expectSignedInAs(page, persona);
    await expectNavigation(page, persona);
    await page.context().storageState({ path: authFile(persona.key) });
  });
}
