import { describe, expect, it } from 'vitest';
import { kubeletStreamQuery } from './stream-options.js';

const exec = (query: string) => kubeletStreamQuery(new URLSearchParams(query), 'exec').toString();

describe('kubeletStreamQuery', () => {
  it('passes the command words in order and the streams kubectl asked for as "1"', () => {
    expect(exec('command=sh&command=-c&command=echo+hi&container=app&stdin=true&stdout=true&stderr=true')).toBe(
      'command=sh&command=-c&command=echo+hi&stdin=1&stdout=1&stderr=1',
    );
    expect(exec('command=sh&stdin=true&stdout=true&tty=true')).toBe('command=sh&stdin=1&stdout=1&stderr=1&tty=1');
  });

  it('defaults stdout and stderr to on and honours an explicit off', () => {
    expect(exec('command=ls')).toBe('command=ls&stdout=1&stderr=1');
    expect(exec('command=ls&stdout=false&stderr=0')).toBe('command=ls');
  });

  it('gives attach no command', () => {
    expect(kubeletStreamQuery(new URLSearchParams('command=ls&stdin=1&tty=1'), 'attach').toString()).toBe(
      'stdin=1&stdout=1&stderr=1&tty=1',
    );
  });
});
