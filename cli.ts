#!/usr/bin/env node
/**
 * The `aslan` executable and the composition root: the one place that puts adapters/ and
 * runtime/ together (runtime/ never imports adapters/).
 */
import { buildAdapters } from "./adapters/index.js";
import { queueCli, QUEUE_CLI_USAGE } from "./adapters/sqs/queue-cli.js";
import { main } from "./runtime/cli/main.js";

main(process.argv.slice(2), { buildAdapters, commands: { queue: { run: queueCli, usage: QUEUE_CLI_USAGE } } }).then((code) => {
  process.exitCode = code;
});
