export { confirmTask } from "./confirm";
export { handoverOwnership } from "./handover";
export { queueTaskIds, recheckTask, retryTask } from "./queue";
export { waiveTask } from "./waive";
