/**
 * How the conformance suites run a case: on the engine `aslan run --config` builds, with every
 * adapter Aslan ships built from CONFORMANCE_CONFIG, a config that declares no resources. Its
 * empty `tables`, `buckets` and `secrets` sections run those services with nothing in them, so
 * an `aws-sdk:*` Task meets what the recorded runs met on AWS: no table `<test-table>`, no bucket
 * `someNonexistentBucketName`, no secrets. Under `aslan serve`, `conformanceAdapters` builds the
 * same adapters (test/api/conformance-server.test.ts).
 */
import { pino } from "pino";
import { buildAdapters } from "../../adapters/index.js";
import { apiExecutions } from "../../runtime/api/api-executions.js";
import type { ApiContext } from "../../runtime/api/context.js";
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import { projectEngine } from "../../runtime/config/project-engine.js";
import type { ExecutionResult } from "../../runtime/engine/engine.js";
import type { Adapter } from "../../runtime/ports/adapter.js";
import type { Json } from "../../translators/json.js";

export const CONFORMANCE_CONFIG: ProjectConfig = { tables: {}, buckets: {}, secrets: {} };

const log = pino({ level: "silent" });

/** StartExecution takes input as text. Ten cases were recorded with that text (e.g. '["Hello", "World"]', as their ExecutionStarted event shows): parse it. */
export const executionInput = (input: unknown): Json => (typeof input === "string" ? (JSON.parse(input) as Json) : (input as Json));

/** One execution of `definition` under virtual time on a fresh engine and fresh adapters; throws DefinitionError for an invalid definition. */
export async function runConformance(definition: unknown, input: Json): Promise<ExecutionResult> {
  const { engine, closeAdapters } = projectEngine({
    virtualTime: true,
    project: { build: (_config, host) => buildAdapters(CONFORMANCE_CONFIG, host), cwd: process.cwd(), log },
  });
  try {
    return await engine.result(engine.startExecution(engine.createStateMachine("aslan-run", definition), input));
  } finally {
    engine.close();
    await closeAdapters();
  }
}

/** A case's outcome as compare.mjs's `difference` reads it (DEFINITION_ERROR when the definition is refused). */
export async function caseOutcome(definition: unknown, input: unknown): Promise<Record<string, unknown>> {
  try {
    const r = await runConformance(definition, executionInput(input));
    return { status: r.status, output: r.output === undefined ? undefined : JSON.stringify(r.output), error: r.error, cause: r.cause };
  } catch (e) {
    return { status: "DEFINITION_ERROR", error: (e as Error).message };
  }
}

/** The same adapters under `aslan serve` (`startServer({ adapters: conformanceAdapters })`), built as serve.ts builds a project's. */
export const conformanceAdapters = (context: ApiContext): Adapter[] =>
  buildAdapters(CONFORMANCE_CONFIG, { configDir: process.cwd(), engine: context.engine, api: context, executions: apiExecutions(context), functions: {}, log });
