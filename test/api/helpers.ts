/** Starts `aslan serve`'s server on a random loopback port with an SDK client pointed at it. */
import { DescribeExecutionCommand, SFNClient, type DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { startServer, type ApiServer, type ServerOptions } from "../../runtime/api/server.js";

export interface TestApi {
  readonly server: ApiServer;
  readonly sfn: SFNClient;
  close(): Promise<void>;
}

export const ROLE_ARN = "arn:aws:iam::123456789012:role/DummyRole";

export async function startTestApi(options: ServerOptions = {}): Promise<TestApi> {
  const server = await startServer({ port: 0, host: "127.0.0.1", ...options });
  const sfn = new SFNClient({
    endpoint: server.url,
    region: "us-east-1",
    disableHostPrefix: true,
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local" },
  });
  return {
    server,
    sfn,
    close: async () => {
      sfn.destroy();
      await server.close();
    },
  };
}

/** The AWS error name an SDK call rejected with (fails the test if it resolved). */
export async function errorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return (e as Error).name;
  }
  throw new Error("expected the call to fail");
}

/** The execution once it has ended (DescribeExecution, polled). */
export async function settled(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 500; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${executionArn} still running`);
}
