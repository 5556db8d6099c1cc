export { approveBreakGlass, denyBreakGlass } from "./decide";
export { cancelBreakGlass, disputeBreakGlass, endBreakGlass, recordPostReview } from "./end";
export { requestBreakGlass } from "./request";
