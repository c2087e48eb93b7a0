/** Summarises a V8 CPU profile: self and total time per function, hottest first. */

function location(frame, root) {
  const url = frame.url.replace(/^file:\/\//, "").replace(`${root}/`, "");
  return url ? `${url}:${frame.lineNumber + 1}` : "(native)";
}

/** The `top` functions by self time, each with its total (inclusive) time, as a text table. */
export function summarize(profile, { top = 25, root = "" } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfSamples = new Map();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const total = profile.samples.length || 1;
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const inclusive = new Map();
  for (const [id, count] of selfSamples) {
    const node = byId.get(id);
    const key = `${node.callFrame.functionName || "(anonymous)"} ${location(node.callFrame, root)}`;
    self.set(key, (self.get(key) ?? 0) + count);
    // Inclusive: count each function once per sample stack.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      const k = `${f.functionName || "(anonymous)"} ${location(f, root)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + count);
    }
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  const pct = (v) => `${((v / total) * 100).toFixed(1).padStart(5)}%`;
  return ["  self  total  function", ...rows.map(([k, v]) => `${pct(v)} ${pct(inclusive.get(k) ?? 0)}  ${k}`)].join("\n");
}
