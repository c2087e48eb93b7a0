/**
 * `aslan queue` as a command: the queues of a running `aslan serve` (which serves the SQS API
 * on its port), reached through the AWS SDK. `--endpoint` (default http://127.0.0.1:8083);
 * credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when the server checks signatures.
 */
import { UsageError } from "../../runtime/cli/args.js";
import { runQueueCommand, QUEUE_USAGE } from "./queue-command.js";
import { SdkQueueStore } from "./sdk-queue-store.js";

export const QUEUE_CLI_USAGE = `${QUEUE_USAGE}

  Options for every subcommand: --endpoint <aslan serve URL> (http://127.0.0.1:8083), --region <region>.`;

/** Takes `--endpoint`/`--region` out of argv (anywhere), then runs the subcommand. */
export async function queueCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const rest: string[] = [];
  let endpoint = "http://127.0.0.1:8083";
  let region = env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [key, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (key !== "--endpoint" && key !== "--region") {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${key} needs a value`);
    if (key === "--endpoint") endpoint = value;
    else region = value;
  }
  const accessKeyId = env["AWS_ACCESS_KEY_ID"] ?? "local";
  const secretAccessKey = env["AWS_SECRET_ACCESS_KEY"] ?? "local";
  const store = new SdkQueueStore({ endpoint, region, credentials: { accessKeyId, secretAccessKey } });
  try {
    return await runQueueCommand(rest, store);
  } finally {
    await store.close?.();
  }
}
