import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ipv4Cidr } from '@tkube/process';
import { formatCidr, parseCidr } from '@tkube/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { podCidrRecordPath, readRecordedPodCidr, recordPodCidr } from './pod-cidr-record.js';

function cidr(text: string): Ipv4Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(text);
  return parsed;
}

describe('the recorded pod CIDR', () => {
  let dir: string;

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'tkube-pod-cidr-record-')), 'networks', 'tkube0');
  });
  afterEach(async () => {
    await rm(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('is absent until recorded, then read back, with no temporary file left', async () => {
    expect(await readRecordedPodCidr(dir)).toBeUndefined();
    expect(await recordPodCidr(dir, cidr('10.244.3.0/24'))).toEqual(cidr('10.244.3.0/24'));
    expect(await readFile(podCidrRecordPath(dir), 'utf8')).toBe('10.244.3.0/24\n');
    expect(await readRecordedPodCidr(dir, cidr('10.244.0.0/16'))).toEqual(cidr('10.244.3.0/24'));
    expect(await readdir(dir)).toEqual(['node-pod-cidr']);
  });

  it('is made once: a second record answers the first block and leaves it', async () => {
    await recordPodCidr(dir, cidr('10.244.3.0/24'));
    expect(formatCidr(await recordPodCidr(dir, cidr('10.244.4.0/24')))).toBe('10.244.3.0/24');
    expect(await readFile(podCidrRecordPath(dir), 'utf8')).toBe('10.244.3.0/24\n');
  });

  it('is one block when many record at once', async () => {
    const blocks = ['10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24', '10.244.4.0/24'].map(cidr);
    const answers = await Promise.all(blocks.map((block) => recordPodCidr(dir, block)));
    const recorded = await readRecordedPodCidr(dir);
    expect(recorded).toBeDefined();
    expect(answers.every((answer) => answer.network === recorded?.network)).toBe(true);
    expect(await readdir(dir)).toEqual(['node-pod-cidr']);
  });

  it.each([
    ['', /the pod CIDR "" recorded in .* is not an IPv4 network block of \/30 or larger/],
    ['10.244.3.9/24\n', /the pod CIDR "10\.244\.3\.9\/24" recorded in/],
    ['10.245.3.0/24\n', /is not inside --cluster-cidr 10\.244\.0\.0\/16; remove the file to learn the block again/],
  ])('refuses a record holding %j', async (text, message) => {
    await mkdir(dir, { recursive: true });
    await writeFile(podCidrRecordPath(dir), text);
    await expect(readRecordedPodCidr(dir, cidr('10.244.0.0/16'))).rejects.toThrow(message);
  });
});
