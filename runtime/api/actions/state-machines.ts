import type { ActionTable } from "../context.js";

export const stateMachineActions: ActionTable = {};
