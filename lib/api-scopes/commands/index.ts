export { assignOwner, reduceScopes, setExpiry } from "./change";
export { type RevokeResult, revokeCredential } from "./revoke";
