/**
 * The nats-server of one aslan-jetstream session (engines/aslan-jetstream.mjs), owned by
 * this small process rather than by the engine's worker: forked with an IPC channel, it
 * starts `nats-server -js` (lib/jetstream-server.mjs: free loopback port, temp store dir,
 * max_payload in MB from argv[2] when given),
 * sends `{url, pid}`, and stops the server by its pid (SIGTERM, SIGKILL after 5 s) and
 * removes its directory when asked (`{stop: true}`), when it is signalled, or when the
 * channel closes because the worker went away (killed, crashed) without asking. A
 * nats-server cannot watch its parent, so this process does, as lib/serve-probe.mjs does
 * inside `aslan serve`.
 */
import { startNatsServer } from "./jetstream-server.mjs";

/** argv: `[maxPayloadMB]`. */
const maxPayloadMB = Number(process.argv[2]) || undefined;
const starting = startNatsServer({ maxPayloadMB });
let stopping;

function stop(code) {
  stopping ??= starting.then((server) => server.stop(), () => undefined).catch(() => undefined).then(() => {
    if (!process.connected) process.exit(code);
    // Answer once the server is gone, then leave.
    process.send({ stopped: true }, () => process.exit(code));
  });
  return stopping;
}

process.on("disconnect", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(130));
process.on("message", (msg) => {
  if (msg?.stop) void stop(0);
});

starting.then(
  (server) => {
    if (!stopping) process.send?.({ url: server.url, pid: server.pid });
  },
  (e) => {
    process.send?.({ error: e instanceof Error ? e.message : String(e) }, () => process.exit(1));
    if (!process.connected) process.exit(1);
  },
);
