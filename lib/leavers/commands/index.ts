export { assignCases } from "./assign";
export { closeCase } from "./close";
export { confirmManually } from "./confirm";
export { executeTasks, retryTask, verifyTask } from "./execute";
export { handoverNhi } from "./handover";
export { waiveTask } from "./waive";
