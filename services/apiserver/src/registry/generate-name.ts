/**
 * metadata.generateName: the prefix plus five random characters, from the alphabet
 * Kubernetes uses (no vowels, so generated names never spell words; no 0/1/3 that read as
 * letters). Names are capped so the result stays a valid 63-character name.
 */
import { randomInt } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const RANDOM_LENGTH = 5;
const MAX_GENERATED_NAME_LENGTH = 63;
const MAX_PREFIX_LENGTH = MAX_GENERATED_NAME_LENGTH - RANDOM_LENGTH;

export type RandomIndex = (bound: number) => number;

export function generateName(base: string, random: RandomIndex = randomInt): string {
  const prefix = base.length > MAX_PREFIX_LENGTH ? base.slice(0, MAX_PREFIX_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) suffix += ALPHABET[random(ALPHABET.length)];
  return prefix + suffix;
}
