/**
 * The project's SNS-like topics (the config's `topics`) and their subscriptions, with the ARNs
 * AWS would give them: `arn:aws:sns:<region>:<account>:<name>` and `<topic ARN>:<uuid>`.
 */
import { createHash } from "node:crypto";
import type { SubscriptionConfig, TopicConfig } from "../../runtime/config/project-config.js";

export interface Subscription {
  readonly arn: string;
  readonly protocol: SubscriptionConfig["protocol"];
  readonly endpoint: string;
  readonly rawMessageDelivery: boolean;
}

export interface Topic {
  readonly name: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly subscriptions: readonly Subscription[];
}

export interface Place {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export const topicArn = (place: Place, name: string): string => `arn:${place.partition}:sns:${place.region}:${place.accountId}:${name}`;

/** A stable UUID-shaped id from text (the same subscription ARN on every start). */
function stableUuid(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class Topics {
  private readonly byName = new Map<string, Topic>();

  constructor(config: Readonly<Record<string, TopicConfig>>, place: Place) {
    for (const [name, t] of Object.entries(config)) {
      const arn = topicArn(place, name);
      const subscriptions = (t.subscriptions ?? []).map((s, i) => ({
        arn: `${arn}:${stableUuid(`${arn}#${i}#${s.protocol}#${s.endpoint}`)}`,
        protocol: s.protocol,
        endpoint: s.endpoint,
        rawMessageDelivery: s.rawMessageDelivery ?? false,
      }));
      this.byName.set(name, { name, arn, fifo: t.fifo ?? name.endsWith(".fifo"), subscriptions });
    }
  }

  /**
   * The topic a TopicArn names. Only the name is matched: ARNs written for another account or
   * region still reach the project's topic of that name.
   */
  find(arn: string): Topic | undefined {
    const fields = arn.split(":");
    if (fields.length === 1) return this.byName.get(arn);
    if (fields.length !== 6 || fields[0] !== "arn" || fields[2] !== "sns") return undefined;
    return this.byName.get(fields[5] as string);
  }

  all(): Topic[] {
    return [...this.byName.values()];
  }
}
