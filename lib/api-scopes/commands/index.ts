export { assignOwner, setExpiry } from "./change";
export { reduceScopes, revokeCredential } from "./revoke";
