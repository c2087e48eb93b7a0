/** What the results were measured on: date, Node, CPU, cores, memory, load, commit. */
import os from "node:os";
import { execFileSync } from "node:child_process";
import { repoRoot } from "./workloads.mjs";

function git(args) {
  try {
    return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  const commit = git(["rev-parse", "--short", "HEAD"]);
  const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: cpus[0]?.model?.trim() ?? "unknown CPU",
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAtStart: os.loadavg()[0],
    commit: commit ? `${commit}${dirty ? " (with uncommitted changes)" : ""}` : "unknown",
  };
}
