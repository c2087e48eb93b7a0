/** The SecretStore in memory: secrets live as long as the process. */
import { secretNamed, type Secret, type SecretStore } from "./secret-store.js";

export class MemorySecretStore implements SecretStore {
  /** By name, in creation order. */
  protected readonly secrets: Map<string, Secret>;

  /** `initial`: secrets it starts with, oldest first (a durable store's, read back). */
  constructor(initial: Iterable<Secret> = []) {
    this.secrets = new Map([...initial].map((s) => [s.name, s]));
  }

  async find(secretId: string): Promise<Secret | undefined> {
    const found = secretNamed(this.secrets.values(), (name) => this.secrets.get(name), secretId);
    return found && structuredClone(found);
  }

  async all(): Promise<Secret[]> {
    return [...this.secrets.values()].map((s) => structuredClone(s));
  }

  async create(secret: Secret): Promise<boolean> {
    // One process holds these secrets: the copy in memory is the truth.
    if (this.secrets.has(secret.name)) return false;
    await this.put(secret);
    return true;
  }

  async put(secret: Secret): Promise<void> {
    // A copy: changing the caller's object afterwards changes nothing here until it is put again.
    this.secrets.set(secret.name, structuredClone(secret));
  }

  async remove(name: string): Promise<void> {
    this.secrets.delete(name);
  }
}
