/**
 * Runs `count` calls in batches of 1, 2, 4, ... (kube's slowStartBatch): a template the
 * apiserver refuses fails once, not 500 times. Stops after the first batch with a failure.
 * Returns how many calls succeeded and the first error, if any.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  call: () => Promise<void>,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  let batch = Math.min(remaining, initialBatchSize);
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => call()));
    const failed = results.find((result) => result.status === 'rejected');
    successes += results.filter((result) => result.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= batch;
    batch = Math.min(remaining, 2 * batch);
  }
  return { successes };
}
