import { describe, expect, it } from 'vitest';
import { dataDir, MAX_UNIX_SOCKET_PATH, tooLongSocketPaths } from './data-dir.js';

describe('a node in the data dir', () => {
  it('has its sockets under run/<node> and its state under nodes/<node>', () => {
    expect(dataDir('/d').nodeOf('tkube-node-1')).toEqual({
      run: '/d/run/tkube-node-1',
      criSocket: '/d/run/tkube-node-1/cri.sock',
      cniSocket: '/d/run/tkube-node-1/cni.sock',
      criRoot: '/d/nodes/tkube-node-1/cri',
      cniState: '/d/nodes/tkube-node-1/cni',
      kubeletRoot: '/d/nodes/tkube-node-1/kubelet',
    });
  });

  it('names the socket paths a unix socket cannot hold', () => {
    const fits = `/${'a'.repeat(MAX_UNIX_SOCKET_PATH - '/run/tkube-node-1/cri.sock'.length - 1)}`;
    expect(tooLongSocketPaths(dataDir(fits), ['tkube-node-1'])).toEqual([]);
    const tooLong = `${fits}b`;
    expect(tooLongSocketPaths(dataDir(tooLong), ['tkube-node-1'])).toEqual([
      { path: `${tooLong}/run/tkube-node-1/cri.sock`, bytes: MAX_UNIX_SOCKET_PATH + 1 },
      { path: `${tooLong}/run/tkube-node-1/cni.sock`, bytes: MAX_UNIX_SOCKET_PATH + 1 },
    ]);
  });
});
