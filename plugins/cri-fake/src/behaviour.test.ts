import { describe, expect, it } from 'vitest';
import { behaviourOf, RUN_UNTIL_STOPPED } from './behaviour.js';

const env = (pairs: Record<string, string>) => Object.entries(pairs).map(([key, value]) => ({ key, value }));

describe('behaviourOf', () => {
  it('runs until stopped and answers exec with 0 when no FAKE_ variable is set', () => {
    expect(behaviourOf(env({ PATH: '/bin', HOME: '/' }))).toEqual(RUN_UNTIL_STOPPED);
  });

  it('reads the exit delay, exit code and exec exit code', () => {
    expect(behaviourOf(env({ FAKE_EXIT_AFTER_MS: '250', FAKE_EXIT_CODE: '3', FAKE_EXEC_EXIT_CODE: '1' }))).toEqual({
      exitAfterMs: 250,
      exitCode: 3,
      execExitCode: 1,
    });
  });

  it('defaults the exit code to 0 and keeps running when only the code is given', () => {
    expect(behaviourOf(env({ FAKE_EXIT_AFTER_MS: '0' }))).toMatchObject({ exitAfterMs: 0, exitCode: 0 });
    expect(behaviourOf(env({ FAKE_EXIT_CODE: '2' }))).toMatchObject({ exitAfterMs: undefined, exitCode: 2 });
  });

  it('takes the last of a repeated variable', () => {
    const envs = [...env({ FAKE_EXEC_EXIT_CODE: '1' }), ...env({ FAKE_EXEC_EXIT_CODE: '0' })];
    expect(behaviourOf(envs).execExitCode).toBe(0);
  });

  it('refuses malformed values with the variable named', () => {
    expect(() => behaviourOf(env({ FAKE_EXIT_AFTER_MS: '1s' }))).toThrow(/FAKE_EXIT_AFTER_MS="1s"/);
    expect(() => behaviourOf(env({ FAKE_EXIT_AFTER_MS: '-5' }))).toThrow(/FAKE_EXIT_AFTER_MS/);
    expect(() => behaviourOf(env({ FAKE_EXIT_CODE: '256' }))).toThrow(/FAKE_EXIT_CODE/);
    expect(() => behaviourOf(env({ FAKE_EXEC_EXIT_CODE: '' }))).toThrow(/FAKE_EXEC_EXIT_CODE/);
  });
});
