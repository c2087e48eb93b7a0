/**
 * The adapters Aslan ships, built from a project config. Adding an adapter is one line in
 * ADAPTER_FACTORIES.
 */
import type { AdapterHost } from "../runtime/config/adapter-host.js";
import type { ProjectConfig } from "../runtime/config/project-config.js";
import type { Adapter } from "../runtime/ports/adapter.js";
import type { AdapterDeps, AdapterFactory } from "./factory.js";
import { createDynamoDbAdapter } from "./dynamodb/index.js";
import { createExecutionsAdapter } from "./executions/index.js";
import { createHttpAdapter } from "./http/index.js";
import { createLambdaAdapter } from "./lambda/index.js";
import { createNatsAdapter } from "./nats/index.js";
import { createS3Adapter } from "./s3/index.js";
import { createSecretsManagerAdapter } from "./secretsmanager/index.js";
import { createSnsAdapter } from "./sns/index.js";
import { createSqsAdapter } from "./sqs/index.js";

export type { AdapterDeps, AdapterFactory } from "./factory.js";

/** In dispatch order: the first adapter whose `handles` accepts a resource runs it. */
export const ADAPTER_FACTORIES: readonly AdapterFactory[] = [
  createLambdaAdapter,
  createSqsAdapter,
  createSnsAdapter,
  createHttpAdapter,
  createDynamoDbAdapter,
  createExecutionsAdapter,
  createS3Adapter,
  createSecretsManagerAdapter,
  createNatsAdapter,
];

/** Every adapter the config asks for (the `BuildAdapters` the `aslan` command gets from cli.ts). */
export function buildAdapters(config: ProjectConfig, host: AdapterHost): Adapter[] {
  const built: Adapter[] = [];
  const deps: AdapterDeps = { ...host, adapter: (name) => built.find((a) => a.name === name) };
  for (const factory of ADAPTER_FACTORIES) {
    const adapter = factory(config, deps);
    if (adapter) built.push(adapter);
  }
  return built;
}
