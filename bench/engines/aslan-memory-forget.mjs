/**
 * Aslan in memory, dropping each execution when it has finished (`engine.forget(run)`):
 * the same engine as aslan-memory without the cost of keeping every finished execution and
 * its history (which the API needs for DescribeExecution and GetExecutionHistory).
 */
import { aslanMemory } from "./aslan-memory.mjs";

/** @type {import("./engine.mjs").EngineAdapter} */
export default aslanMemory(undefined, { forget: true });

/** `aslan-memory-forget@<dist folder>`: another build. */
export const variant = (dist) => aslanMemory(dist, { forget: true });
