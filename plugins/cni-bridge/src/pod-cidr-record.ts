/**
 * The node's pod block as the plugin learnt it from the runtime, kept in one small file in
 * the bridge's IPAM directory ("10.244.3.0/24\n"), so that after a restart Del, Check, Gc
 * and Status know the block before any Add brings it again, and a teardown of the bridge
 * removes the record with the rest of its state.
 *
 * The record is made once and never rewritten: the file is written whole under a
 * temporary name, flushed, then `link(2)`ed to its name, which is atomic and fails when
 * the name exists, so a reader never sees half a block and two writers (two Adds, two
 * processes) cannot record different blocks: the second finds the first's.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ipv4Cidr } from '@tkube/process';
import { formatCidr } from '@tkube/process';
import { errnoOf, messageOf } from './error-info.js';
import { parseNodeBlock } from './node-block.js';

export const POD_CIDR_RECORD_FILE = 'node-pod-cidr';

export function podCidrRecordPath(dir: string): string {
  return join(dir, POD_CIDR_RECORD_FILE);
}

/**
 * The block recorded in `dir`, or undefined when none is. Throws when the record cannot
 * be read or holds no acceptable block (inside `clusterCidr`, when given): guessing would
 * hand out addresses of a block the node may not own.
 */
export async function readRecordedPodCidr(dir: string, clusterCidr?: Ipv4Cidr): Promise<Ipv4Cidr | undefined> {
  const path = podCidrRecordPath(dir);
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw new Error(`failed to read the recorded pod CIDR ${path}: ${messageOf(error)}`, { cause: error });
  }
  const parsed = parseNodeBlock(text, clusterCidr);
  if (!parsed.block) {
    throw new Error(
      `the pod CIDR ${JSON.stringify(text.slice(0, 64))} recorded in ${path} ${parsed.problem}; ` +
        'remove the file to learn the block again from the next Add',
    );
  }
  return parsed.block;
}

/**
 * Records `block` as the node's unless a block is recorded already, and answers the
 * recorded one: `block`, or the earlier record (which the caller compares).
 */
export async function recordPodCidr(
  dir: string,
  block: Ipv4Cidr,
  clusterCidr?: Ipv4Cidr,
  attempts = 2,
): Promise<Ipv4Cidr> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = podCidrRecordPath(dir);
  const temporary = join(dir, `.pod-cidr-${process.pid}-${randomUUID()}`);
  try {
    const file = await open(temporary, 'wx', 0o644);
    try {
      await file.writeFile(`${formatCidr(block)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await link(temporary, path);
    return block;
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') {
      throw new Error(`failed to record the pod CIDR ${formatCidr(block)} in ${path}: ${messageOf(error)}`, {
        cause: error,
      });
    }
    const recorded = await readRecordedPodCidr(dir, clusterCidr);
    if (recorded) return recorded;
    // Removed between the link and the read (a teardown): nothing stands in the way any more.
    if (attempts > 1) return recordPodCidr(dir, block, clusterCidr, attempts - 1);
    throw new Error(`the pod CIDR record ${path} came and went while ${formatCidr(block)} was being recorded`);
  } finally {
    await rm(temporary, { force: true });
  }
}
