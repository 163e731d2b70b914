import { describe, expect, it } from 'vitest';
import { generateName } from './generate-name.js';

describe('generateName', () => {
  it('appends five characters of the Kubernetes alphabet', () => {
    expect(generateName('web-')).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(generateName('web-', () => 0)).toBe('web-bbbbb');
  });

  it('cuts a long prefix so the name stays within 63 characters', () => {
    expect(generateName('a'.repeat(100), () => 0)).toHaveLength(63);
  });
});
