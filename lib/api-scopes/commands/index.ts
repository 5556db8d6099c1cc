export { assignOwner, setExpiry } from "./change";
export { registerHandle } from "./handle";
export { reduceScopes, revokeCredential } from "./revoke";
export { rotateClientSecret } from "./rotate";
