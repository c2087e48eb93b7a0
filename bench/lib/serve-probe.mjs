/**
 * Preloaded into the `aslan serve` process the bench starts (`node --expose-gc --import
 * serve-probe.mjs dist/cli.js serve …`, serve-process.mjs) so the memory columns are
 * the server's, measured as lib/worker.mjs measures an in-process engine: over the IPC
 * channel, `{probe: "gc"}` forces a GC and `{probe: "memory"}` answers RSS, heap and peak RSS.
 * It only answers messages (and stops the server if the bench process goes away); the server
 * does not know it is there.
 */
function collect() {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
}

function memory() {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, maxRssKB: process.resourceUsage().maxRSS };
}

process.on("message", (msg) => {
  if (!msg || typeof msg.probe !== "string") return;
  if (msg.probe === "gc") collect();
  process.send?.({ probeId: msg.id, ...(msg.probe === "memory" ? memory() : {}) });
});
// The bench process went away without stopping the server (killed, crashed): stop as on Ctrl-C rather than linger.
process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
// The channel must not keep the server alive once it has stopped.
process.channel?.unref();
