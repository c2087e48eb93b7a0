/** The HTTP Task (`arn:aws:states:::http:invoke`) with the config's connections. */
import type { ProjectConfig } from "../../runtime/config/project-config.js";
import type { Account } from "../../runtime/engine/arns.js";
import { HttpAdapter } from "./http-adapter.js";

export { HttpAdapter, type HttpAdapterOptions } from "./http-adapter.js";
export { urlEncode, type ArrayFormat } from "./url-encoding.js";

/** What the HTTP factory uses of the composition root's AdapterDeps. */
export interface HttpAdapterDeps {
  /** Its region goes into the User-Agent header. */
  readonly engine?: { readonly account: Account };
}

/**
 * The HTTP Task adapter. Always built: an HTTP Task needs nothing from the config except the
 * connections it names (`connections`).
 */
export function createHttpAdapter(config: ProjectConfig, deps: HttpAdapterDeps = {}): HttpAdapter {
  return new HttpAdapter({
    connections: config.connections ?? {},
    ...(deps.engine ? { region: deps.engine.account.region } : {}),
  });
}
