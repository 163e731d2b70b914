import { describe, expect, it } from 'vitest';
import { nodeStatus } from './node-object.js';
import { nodeReadiness } from './readiness.js';

function sources(options: { podCidr?: string; runtimeReady?: boolean; networkReady?: boolean } = {}) {
  return {
    runtime: {
      status: async () => ({
        status: {
          conditions: [
            {
              type: 'RuntimeReady',
              status: options.runtimeReady ?? true,
              reason: options.runtimeReady === false ? 'DockerDaemonNotReady' : '',
              message: options.runtimeReady === false ? 'docker: connect ENOENT' : '',
            },
          ],
        },
        info: {},
      }),
    },
    network: {
      status: async () => ({
        ready: options.networkReady ?? true,
        message: options.networkReady === false ? 'bridge tkube0 is missing' : '',
        bridge: 'tkube0',
        podCidr: '',
        gateway: '',
        allocated: 0,
        capacity: 0,
      }),
    },
    podCidr: () => options.podCidr,
  };
}

describe('nodeReadiness', () => {
  it('is ready when the runtime and the network plugin are, and the node has a pod CIDR', async () => {
    expect(await nodeReadiness(sources({ podCidr: '10.244.1.0/24' }))()).toEqual({ ready: true });
  });

  it('is not ready while the node has no pod CIDR yet: Ready=False, KubeletNotReady', async () => {
    const readiness = await nodeReadiness(sources())();
    expect(readiness).toEqual({ ready: false, message: 'network not ready: the node has no pod CIDR yet' });
    const host = {
      cpuCores: 2,
      memoryKi: 4_000_000,
      ephemeralStorageKi: 50_000_000,
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      kernelVersion: '6.1.0',
      architecture: 'amd64',
      operatingSystem: 'linux',
      machineID: 'm',
      systemUUID: 'm',
      bootID: 'b',
    };
    const facts = {
      nodeName: 'node-1',
      nodeIp: '127.0.0.1',
      kubeletPort: 10250,
      maxPods: 110,
      host,
      containerRuntimeVersion: 'fake://0.1.0',
    };
    const ready = nodeStatus(facts, readiness, undefined, '2025-01-01T00:00:00Z').conditions?.find(
      (c) => c.type === 'Ready',
    );
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'KubeletNotReady',
      message: 'network not ready: the node has no pod CIDR yet',
    });
  });

  it('names a runtime that is not ready first, then a network plugin that is not', async () => {
    expect(await nodeReadiness(sources({ runtimeReady: false }))()).toEqual({
      ready: false,
      message:
        'container runtime not ready: RuntimeReady=false reason:DockerDaemonNotReady message:docker: connect ENOENT',
    });
    expect(await nodeReadiness(sources({ podCidr: '10.244.1.0/24', networkReady: false }))()).toEqual({
      ready: false,
      message:
        'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:bridge tkube0 is missing',
    });
  });
});
