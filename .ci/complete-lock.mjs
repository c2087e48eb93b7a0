// The registry this project installs from does not serve every platform build of some
// native packages (e.g. @msgpackr-extract/*-darwin-x64 answers 404), so `npm install` leaves
// them out of package-lock.json, and `npm ci` then refuses the lock as out of sync. Those
// builds are optional and never installed on this platform: record them as optional
// entries with their os/cpu so the lock is complete. Idempotent; run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const PLATFORM = /-(darwin|linux|win32|freebsd|android)-(x64|arm64|arm|ia32)(-[a-z]+)?$/;
let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const where = [`${path}/node_modules/${name}`, `node_modules/${name}`];
    if (where.some((p) => lock.packages[p])) continue;
    const m = PLATFORM.exec(name);
    if (!m || !/^\d+\.\d+\.\d+$/.test(version)) {
      console.warn(`complete-lock: ${name}@${version} (optional, from ${path || "the root"}) is missing and not a platform build: left alone`);
      continue;
    }
    lock.packages[`node_modules/${name}`] = { version, cpu: [m[2]], optional: true, os: [m[1]] };
    added++;
  }
}
const entries = Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0));
lock.packages = Object.fromEntries(entries);
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
if (added > 0) console.log(`complete-lock: recorded ${added} optional platform build(s) the registry does not serve`);
