/**
 * Aslan over `aslan serve` with the AWS SDK (#3): the built CLI (`dist/cli.js serve
 * --in-memory --port 0`) as a child process, the workload's task functions served by it
 * (`--functions` bench/lib/serve-functions.mjs), the state machine created as EXPRESS through
 * @aws-sdk/client-sfn, and each input run with StartSyncExecution over loopback HTTP.
 * Workloads with Retry intervals run with `--virtual-time`, as aslan-memory does.
 *
 * The server process: lib/serve-process.mjs. The memory columns are the server's
 * (lib/serve-probe.mjs answers over IPC), not this client's. `aslan-serve@<level>` starts the server with `--log-level <level>`
 * (default: serve's own, info, which logs every request; `warn` still logs the URL it needs).
 */
import { existsSync } from "node:fs";
import { Agent } from "node:http";
import { CLI, hasEnded, probe, startServer, stopServer } from "../lib/serve-process.mjs";

/** Any role: Aslan checks its shape, nothing assumes it. */
const ROLE_ARN = "arn:aws:iam::123456789012:role/aslan-bench";

export function aslanServe(logLevel) {
  return {
    id: logLevel ? `aslan-serve@${logLevel}` : "aslan-serve",
    label: logLevel ? `Aslan (aslan serve + AWS SDK, --log-level ${logLevel})` : "Aslan (aslan serve + AWS SDK)",
    isPeer: false,
    // The memory check's 100,000 StartSyncExecutions take about a minute, for what aslan-memory-forget's check already shows.
    memoryCheck: "Express executions are not kept (as on AWS), so the server holds what the engine.forget() row holds, which is checked; 100,000 over HTTP take about a minute",
    async available() {
      if (!existsSync(CLI)) return `no ${CLI} (run npm run build)`;
      try {
        await import("@aws-sdk/client-sfn");
        return true;
      } catch (e) {
        return `@aws-sdk/client-sfn is not installed (${e.message})`;
      }
    },
    async open({ workload, definition }) {
      // Every worker would print the SDK's notice that its 2027 releases need Node 22: not news here, and noise in the bench's log.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
      const { SFNClient, CreateStateMachineCommand, StartSyncExecutionCommand } = await import("@aws-sdk/client-sfn");
      const server = startServer([...(workload.skipTime ? ["--virtual-time"] : []), ...(logLevel ? ["--log-level", logLevel] : [])]);
      let client;
      try {
        const endpoint = await server.url;
        const httpAgent = new Agent({
          // Keep-alive (the SDK's default too) with a socket per execution in flight: the SDK's default of 50 would queue many-small's 100.
          keepAlive: true, maxSockets: Math.max(50, workload.concurrency ?? 1),
          // With a timeout set, the agent heeds the server's `Keep-Alive: timeout=5` and drops idle sockets a second early; without
          // one it keeps them, and a request sent while the server closes one (idle through the other engine's batch) fails with
          // "socket hang up". Far longer than any execution, so it never cuts one short.
          timeout: 120_000,
        });
        client = new SFNClient({
          endpoint, region: "us-east-1", maxAttempts: 1,
          // StartSyncExecution's `sync-` host prefix has no DNS name on loopback.
          disableHostPrefix: true,
          credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
          requestHandler: { httpAgent },
        });
        const { stateMachineArn } = await client.send(new CreateStateMachineCommand({
          name: workload.file, type: "EXPRESS", roleArn: ROLE_ARN, definition: JSON.stringify(definition),
        }));
        return {
          note: [workload.skipTime ? "virtual time" : "", "Express, StartSyncExecution"].filter(Boolean).join(", "),
          async run(input) {
            const r = await client.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) })).catch((e) => {
              throw hasEnded(server) ? new Error(`aslan serve has exited: ${e.message}\n${server.stderr()}`) : e;
            });
            if (r.status !== "SUCCEEDED") throw new Error(`execution ${r.status}: ${r.error ?? ""} ${r.cause ?? ""}`);
            return JSON.parse(r.output);
          },
          collectGarbage: () => probe(server, "gc").then(() => undefined),
          memory: () => probe(server, "memory").then(({ rss, heapUsed, maxRssKB }) => ({ rss, heapUsed, maxRssKB })),
          async close() {
            client.destroy();
            await stopServer(server);
          },
        };
      } catch (e) {
        client?.destroy();
        await stopServer(server);
        throw e;
      }
    },
  };
}

/** @type {import("./engine.mjs").EngineAdapter} */
export default aslanServe();

/** `aslan-serve@<log level>`: the server started with `--log-level <level>` (warn: no line per request). */
export const variant = (logLevel) => aslanServe(logLevel);
