/** The kubelet benchmark's figures: milliseconds to a tenth (bench-kit's percentiles). */
import { type Distribution, distribution as distributionOf } from '../../../bench-kit/stats.ts';

export type { Distribution };

/** Milliseconds, rounded to 0.1 ms; undefined values (not observed) are left out. */
export function distribution(values: ReadonlyArray<number | undefined>): Distribution {
  return distributionOf(values, 1);
}

/** b - a when both are known. */
export function between(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : b - a;
}
