export { revokeCredential, type RevokeResult } from "./revoke";
export { assignOwner, reduceScopes, setExpiry } from "./change";
