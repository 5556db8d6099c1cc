import { handlers } from "@/lib/auth";

// Auth.js endpoints (sign-in, callback, session, CSRF): public by design; listed as such in the authz test.
export const { GET, POST } = handlers;
