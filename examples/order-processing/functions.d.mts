import type { Json, TaskFunctions } from "../../index.js";
export declare const published: Record<string, unknown>[];
export declare function ValidateOrder(input: Json): Json;
declare const functions: TaskFunctions & { ValidateOrder: typeof ValidateOrder };
export default functions;
