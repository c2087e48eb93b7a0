import type { TaskFunctions } from "../../index.js";
export declare const published: Record<string, unknown>[];
export declare function ValidateOrder(input: unknown): Record<string, unknown>;
declare const functions: TaskFunctions & { ValidateOrder: typeof ValidateOrder };
export default functions;
