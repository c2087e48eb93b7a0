/**
 * The benchmark workloads of ../shared/bench (README there): definitions, inputs, the
 * states entered per execution, and the task functions, all built the same way for every
 * engine so their outputs can be compared.
 */
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (bench/lib → ../..). */
export const repoRoot = resolve(here, "..", "..");
/** The shared workload folder: `../shared/bench` beside the repository, or $ASLAN_BENCH_DIR. */
export const workloadDir = process.env.ASLAN_BENCH_DIR ?? resolve(repoRoot, "..", "shared", "bench");

/**
 * One row per measured workload. `file` names the definition; many-small is measured twice
 * (one after another, and with 100 in flight). `statesEntered` is the README's table.
 * `skipTime`: the workload has Retry intervals, run with virtual time / zero intervals.
 * `executions`: fixed executions per batch (many-small); otherwise batches are sized by time.
 */
export const WORKLOADS = [
  { id: "pass-chain-100", file: "pass-chain-100", statesEntered: 100, input: orderDocument },
  { id: "choice-loop-1000", file: "choice-loop-1000", statesEntered: 2002, input: orderDocument },
  { id: "map-1000", file: "map-1000", statesEntered: 3001, input: mapInput },
  { id: "map-1000-unlimited", file: "map-1000-unlimited", statesEntered: 3001, input: mapInput },
  { id: "parallel-10", file: "parallel-10", statesEntered: 101, input: orderDocument },
  { id: "task-chain-20", file: "task-chain-20", statesEntered: 20, input: orderDocument },
  { id: "retry-catch", file: "retry-catch", statesEntered: 6, input: orderDocument, skipTime: true },
  { id: "many-small", file: "many-small", statesEntered: 4, input: smallInput, executions: 10_000, concurrency: 1 },
  { id: "many-small-100", file: "many-small", statesEntered: 4, input: smallInput, executions: 10_000, concurrency: 100, label: "many-small, 100 in flight" },
];

export function workloadById(id) {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload '${id}' (known: ${WORKLOADS.map((x) => x.id).join(", ")})`);
  return w;
}

/** The ASL definition (parsed JSON) of a workload. */
export function loadDefinition(workload) {
  const path = join(workloadDir, `${workload.file}.asl.json`);
  if (!existsSync(path)) throw new Error(`workload definition not found: ${path} (set ASLAN_BENCH_DIR to the shared/bench folder)`);
  return JSON.parse(readFileSync(path, "utf8"));
}

const TIERS = ["gold", "silver", "bronze"];

/** The order document of the README (about 1 KB) for execution N. */
export function orderDocument(n) {
  return {
    id: `exec-${n}`,
    customer: {
      name: `Customer ${n}`,
      email: `customer${n}@example.com`,
      tier: TIERS[n % 3],
      address: { street: `${n % 997} Harbour Road`, city: "Dublin", zip: `D0${n % 10}`, country: "IE" },
    },
    items: Array.from({ length: 8 }, (_, i) => ({ sku: `SKU-${i}`, qty: (i % 3) + 1, price: 5 + i * 2.5, name: `Item number ${i}` })),
    tags: ["priority", "web", "eu", `batch-${n % 16}`],
    meta: { source: "bench", campaign: "spring-sale", createdAt: "2024-03-01T12:00:00.000Z", version: 3 },
    last: { step: 0 },
  };
}

/** The Map workloads' input: 1,000 items. */
export function mapInput(n) {
  return {
    id: `exec-${n}`,
    region: "eu-west-1",
    items: Array.from({ length: 1000 }, (_, i) => ({ sku: `SKU-${i}`, qty: (i % 7) + 1, price: 1 + (i % 13) })),
  };
}

/** many-small's input. */
export function smallInput(n) {
  return { id: `exec-${n}`, amount: (n * 37) % 200 };
}

/** An error whose `name` is the ASL error name (both engines read `name` and `message`). */
function namedError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * The README's task functions, keyed by Lambda function name. Each engine gets its own set
 * (Flaky counts attempts per `input.id`, so two engines must not share the counter).
 */
export function taskFunctions() {
  const flakyAttempts = new Map();
  return {
    AddHop: (input) => ({ ...input, hops: (input.hops ?? 0) + 1 }),
    Flaky: (input) => {
      const attempts = (flakyAttempts.get(input.id) ?? 0) + 1;
      if (attempts >= 3) flakyAttempts.delete(input.id);
      else flakyAttempts.set(input.id, attempts);
      if (attempts < 3) throw namedError("Flaky.Error", `attempt ${attempts} of ${input.id} failed`);
      return { attempts: 3 };
    },
    Broken: () => {
      throw namedError("Broken.Error", "always broken");
    },
  };
}

const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)$/;

/** Lambda function name of a Task resource ARN (the README's resources are all bare Lambda ARNs). */
export function functionNameOf(resource) {
  const m = LAMBDA_ARN.exec(resource);
  if (!m) throw new Error(`bench: unsupported Task resource ${resource}`);
  return m[1];
}

/** Every state of a definition, nested ones included (Parallel branches, Map processors). */
export function* allStates(definition) {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    yield [name, state];
    for (const branch of state.Branches ?? []) yield* allStates(branch);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* allStates(processor);
  }
}
