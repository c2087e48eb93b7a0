/**
 * Every engine the bench knows, in the order they appear in the results. Add an engine by
 * writing one adapter file (see ./engine.mjs for the port) and listing it here.
 * aslan-jetstream (#6) needs a nats-server (skipped, with the reason, when there is none);
 * bench/jetstream.mjs measures JetStream's task round trips on their own.
 */
export const ENGINE_MODULES = {
  "aslan-memory": "./aslan-memory.mjs",
  "aslan-memory-forget": "./aslan-memory-forget.mjs",
  "aslan-durable": "./aslan-durable.mjs",
  "aslan-serve": "./aslan-serve.mjs",
  "aslan-jetstream": "./aslan-jetstream.mjs",
  "aws-local-stepfunctions": "./aws-local-stepfunctions.mjs",
};

/**
 * Loads an adapter by id. `id@arg` asks the module's `variant(arg)` export for a variant
 * (aslan-memory@<dist folder>: another build of Aslan).
 */
export async function loadEngine(id) {
  const at = id.indexOf("@");
  const base = at < 0 ? id : id.slice(0, at);
  const path = ENGINE_MODULES[base];
  if (!path) throw new Error(`unknown engine '${base}' (known: ${Object.keys(ENGINE_MODULES).join(", ")})`);
  const module = await import(path);
  if (at < 0) return module.default;
  if (typeof module.variant !== "function") throw new Error(`engine '${base}' has no variants`);
  return module.variant(id.slice(at + 1));
}
