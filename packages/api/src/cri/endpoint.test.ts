import { describe, expect, it } from 'vitest';
import { grpcTargetOf, socketPathOf } from './endpoint.js';

describe('CRI endpoints', () => {
  it('reads the socket path of every spelling of a unix endpoint', () => {
    expect(socketPathOf('unix:///run/tkube/cri-docker.sock')).toBe('/run/tkube/cri-docker.sock');
    expect(socketPathOf('unix:/run/x.sock')).toBe('/run/x.sock');
    expect(socketPathOf('/tmp/a/cri.sock')).toBe('/tmp/a/cri.sock');
    expect(socketPathOf('rel/cri.sock')).toBe('rel/cri.sock');
  });

  it('refuses TCP and empty endpoints', () => {
    expect(() => socketPathOf('tcp://127.0.0.1:1234')).toThrow(/only unix sockets/);
    expect(() => socketPathOf('  ')).toThrow(/empty/);
  });

  it('turns any spelling into the target grpc-js dials', () => {
    expect(grpcTargetOf('/run/x.sock')).toBe('unix:///run/x.sock');
    expect(grpcTargetOf('unix:///run/x.sock')).toBe('unix:///run/x.sock');
    expect(grpcTargetOf('rel.sock')).toBe('unix:rel.sock');
  });
});
