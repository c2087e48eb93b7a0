/** Activities whose entries are written through to the store's documents; their task queues stay in memory. */
import { ActivityQueues, type ActivityQueuesOptions } from "./activity-queues.js";
import type { ActivityEntry } from "./activity-registry.js";
import type { DocumentWrites } from "./document-writes.js";
import { activityDocument } from "./registry-documents.js";

export class StoredActivityQueues extends ActivityQueues {
  constructor(
    private readonly writes: DocumentWrites,
    options: ActivityQueuesOptions = {},
  ) {
    super(options);
  }

  override add(entry: ActivityEntry): ActivityEntry {
    const known = this.get(entry.arn);
    const added = super.add(entry);
    if (!known) this.save(entry.arn);
    return added;
  }

  override delete(arn: string): void {
    const known = this.get(arn);
    super.delete(arn);
    if (known) this.save(arn);
  }

  /** Puts an activity back as the store has it (undefined: the store has none); writes nothing. */
  restore(arn: string, entry: ActivityEntry | undefined): void {
    super.delete(arn);
    if (entry) super.add(entry);
  }

  private save(arn: string): void {
    this.writes.save("activity", arn, () => {
      const entry = this.get(arn);
      return entry && activityDocument.encode(entry);
    });
  }
}
