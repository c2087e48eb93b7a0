import type { Json, TaskFunctions } from "../../index.js";
export declare const published: Record<string, unknown>[];
export declare function ValidateOrder(input: Json): Json;
export declare function ChargeCard(input: Json): Json;
export declare function ProcessItem(input: Json): Json;
declare const functions: TaskFunctions & { ValidateOrder: typeof ValidateOrder };
export default functions;
