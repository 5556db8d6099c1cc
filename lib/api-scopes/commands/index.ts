export { assignOwner, setExpiry } from "./change";
export { type RequestResult, reduceScopes, revokeCredential } from "./revoke";
