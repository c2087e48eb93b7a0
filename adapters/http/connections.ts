/**
 * EventBridge-style connections for HTTP Tasks (the config's `connections`, named by the
 * `connection/<name>` part of a ConnectionArn): API_KEY (a header), BASIC, and
 * OAUTH_CLIENT_CREDENTIALS (a token from the token URL, kept until it expires or the API
 * answers 401), plus the connection's own headers and query parameters.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-target-connection-auth.html
 */
import { TaskError } from "../../runtime/ports/adapter.js";
import type { ConnectionConfig } from "../../runtime/config/project-config.js";

type OAuth = Extract<ConnectionConfig["authorization"], { type: "OAUTH_CLIENT_CREDENTIALS" }>;

interface CachedToken {
  readonly token: string;
  /** Epoch ms; Infinity when the token endpoint gave no expires_in. */
  readonly expiresAt: number;
}

/** A token is renewed this long before it expires. */
const EXPIRY_MARGIN_MS = 30_000;

export class Connections {
  private readonly tokens = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly connections: Readonly<Record<string, ConnectionConfig>>,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The connection a ConnectionArn (`arn:aws:events:<region>:<account>:connection/<name>/<id>`) or name names. */
  resolve(arnOrName: string): { name: string; connection: ConnectionConfig } {
    const m = /:connection\/([^/]+)/.exec(arnOrName);
    const name = m ? (m[1] as string) : arnOrName;
    const connection = this.connections[name];
    if (!connection) {
      throw new TaskError("Events.ConnectionResource.ResourceNotFound", `Connection '${arnOrName}' does not exist. Configured connections: ${Object.keys(this.connections).join(", ") || "none"}.`);
    }
    return { name, connection };
  }

  /** The Authorization (or API key) header the connection adds. */
  async authHeaders(name: string, connection: ConnectionConfig, signal: AbortSignal): Promise<Record<string, string>> {
    const auth = connection.authorization;
    switch (auth.type) {
      case "API_KEY":
        return { [auth.name]: auth.value };
      case "BASIC":
        return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` };
      case "OAUTH_CLIENT_CREDENTIALS":
        return { Authorization: `Bearer ${(await this.token(name, auth, signal)).token}` };
    }
  }

  /** Forgets a connection's OAuth token (the API refused it). */
  forgetToken(name: string): void {
    this.tokens.delete(name);
  }

  private async token(name: string, auth: OAuth, signal: AbortSignal): Promise<CachedToken> {
    const cached = this.tokens.get(name);
    if (cached) {
      const t = await cached.catch(() => undefined);
      if (t && t.expiresAt - EXPIRY_MARGIN_MS > this.now()) return t;
      if (this.tokens.get(name) === cached) this.tokens.delete(name);
    }
    const fetching = this.fetchToken(auth, signal);
    this.tokens.set(name, fetching);
    fetching.catch(() => this.tokens.get(name) === fetching && this.tokens.delete(name));
    return fetching;
  }

  /** RFC 6749 client credentials grant, the client authenticated with HTTP Basic. */
  private async fetchToken(auth: OAuth, signal: AbortSignal): Promise<CachedToken> {
    const body = new URLSearchParams({ grant_type: "client_credentials", ...(auth.scope !== undefined ? { scope: auth.scope } : {}) });
    let res: Response;
    try {
      res = await fetch(auth.tokenUrl, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
          Authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString("base64")}`,
        },
        body: body.toString(),
        signal,
      });
    } catch (e) {
      throw authFailed(`the token endpoint ${auth.tokenUrl} could not be reached: ${errorText(e)}`);
    }
    const text = await res.text();
    if (!res.ok) throw authFailed(`the token endpoint answered ${res.status} ${res.statusText}: ${text.slice(0, 500)}`);
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw authFailed("the token endpoint's answer is not JSON");
    }
    if (typeof parsed.access_token !== "string" || parsed.access_token === "") throw authFailed("the token endpoint's answer has no access_token");
    const expiresIn = Number(parsed.expires_in);
    return { token: parsed.access_token, expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? this.now() + expiresIn * 1000 : Infinity };
  }
}

/** EventBridge deauthorizes a connection whose credentials fail. */
const authFailed = (why: string): TaskError => new TaskError("Events.ConnectionResource.InvalidConnectionState", `OAuth authorization failed: ${why}`);

const errorText = (e: unknown): string => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
};
