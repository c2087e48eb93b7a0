/** Runs every input through a session, at most `concurrency` executions in flight. */
export async function runMany(session, inputs, concurrency) {
  let next = 0;
  const lane = async () => {
    while (next < inputs.length) {
      const input = inputs[next++];
      await session.run(input);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, lane));
}
