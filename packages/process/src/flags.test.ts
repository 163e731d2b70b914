import { describe, expect, it } from 'vitest';
import {
  commaList,
  durationMs,
  FlagError,
  grpcAddress,
  integerIn,
  ipAddress,
  logLevel,
  nonEmpty,
  parseCommandLine,
  trueOrFalse,
} from './flags.js';

const OPTIONS = {
  port: { type: 'string' },
  mode: { type: 'string', default: 'fast' },
  help: { type: 'boolean', short: 'h' },
} as const;

describe('parseCommandLine', () => {
  it('takes "--flag value", "--flag=value", short booleans and defaults', () => {
    expect(parseCommandLine(['--port', '80', '-h'], OPTIONS)).toEqual({ port: '80', help: true, mode: 'fast' });
    expect(parseCommandLine(['--port=81', '--mode=slow'], OPTIONS)).toEqual({ port: '81', mode: 'slow' });
  });

  it('refuses unknown flags, missing values and positional arguments as FlagErrors', () => {
    expect(() => parseCommandLine(['--bogus', 'x'], OPTIONS)).toThrow(FlagError);
    expect(() => parseCommandLine(['--bogus', 'x'], OPTIONS)).toThrow(/--bogus/);
    expect(() => parseCommandLine(['--port'], OPTIONS)).toThrow(FlagError);
    expect(() => parseCommandLine(['--port', '1', 'extra'], OPTIONS)).toThrow('unexpected argument "extra"');
  });
});

describe('validators', () => {
  it('integerIn takes whole numbers in range and names the flag otherwise', () => {
    expect(integerIn('--port', '8080', 1, 65535)).toBe(8080);
    expect(() => integerIn('--port', '80x', 1, 65535)).toThrow('--port must be a whole number, not "80x"');
    expect(() => integerIn('--port', '-1', 1, 65535)).toThrow(/whole number/);
    expect(() => integerIn('--port', '70000', 1, 65535)).toThrow('--port must be between 1 and 65535, not 70000');
  });

  it('ipAddress takes IPv4 and IPv6 and nothing else', () => {
    expect(ipAddress('--address', '127.0.0.1')).toBe('127.0.0.1');
    expect(ipAddress('--address', '::1')).toBe('::1');
    expect(() => ipAddress('--address', 'localhost')).toThrow('--address must be an IP address, not "localhost"');
  });

  it('nonEmpty refuses blank text', () => {
    expect(nonEmpty('--root-dir', '/var/lib/x')).toBe('/var/lib/x');
    expect(() => nonEmpty('--root-dir', '  ')).toThrow('--root-dir must not be empty');
  });

  it('grpcAddress takes host:port, [ipv6]:port and unix:/path', () => {
    for (const address of ['127.0.0.1:6444', 'localhost:0', '[::1]:6444', 'unix:/run/a.sock', 'unix:///run/a.sock']) {
      expect(grpcAddress('--grpc-address', address)).toBe(address);
    }
    expect(() => grpcAddress('--grpc-address', 'unix:')).toThrow('--grpc-address unix: needs a socket path');
    expect(() => grpcAddress('--grpc-address', '127.0.0.1')).toThrow(
      '--grpc-address must be host:port, [ipv6]:port or unix:/path, not "127.0.0.1"',
    );
    expect(() => grpcAddress('--grpc-address', '127.0.0.1:99999')).toThrow(
      '--grpc-address port must be between 0 and 65535, not 99999',
    );
  });

  it('logLevel takes pino levels', () => {
    expect(logLevel('--log-level', 'debug')).toBe('debug');
    expect(() => logLevel('--log-level', 'verbose')).toThrow(
      '--log-level must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"',
    );
  });

  it('commaList drops blanks and empty items', () => {
    expect(commaList(' a:1, b:2,,')).toEqual(['a:1', 'b:2']);
    expect(commaList('')).toEqual([]);
  });

  it('reads durations in Go units', () => {
    expect(durationMs('--x', '5m')).toBe(300_000);
    expect(durationMs('--x', '1500ms')).toBe(1500);
    expect(durationMs('--x', '30')).toBe(30_000);
  });

  it('reads booleans as true or false only', () => {
    expect(trueOrFalse('--b', 'true')).toBe(true);
    expect(trueOrFalse('--b', 'false')).toBe(false);
    expect(() => trueOrFalse('--b', 'yes')).toThrow('--b must be true or false, not "yes"');
  });

  it('every refusal is a FlagError', () => {
    expect(() => integerIn('--n', 'x', 0, 1)).toThrow(FlagError);
    expect(() => logLevel('--log-level', 'x')).toThrow(FlagError);
  });
});
