export { assignCases } from "./assign";
export { closeCase } from "./close";
export { executeCases } from "./execute";
