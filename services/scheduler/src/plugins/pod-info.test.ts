import { describe, expect, it } from 'vitest';
import { resourcesOf } from '../resources.js';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, podInfoOf } from './pod-info.js';
import { makePod } from './testing/builders.js';

describe('podInfoOf', () => {
  it('takes the larger of the app containers sum and the largest init container (kube example)', () => {
    const pod = makePod()
      .initReq({ cpu: '2', memory: '1G' })
      .initReq({ cpu: '2', memory: '3G' })
      .req({ cpu: '2', memory: '1G' })
      .req({ cpu: '1', memory: '1G' })
      .obj();
    const { requests } = podInfoOf(pod);
    expect(requests.milliCpu).toBe(3000);
    expect(requests.memory).toBe(3_000_000_000);
  });

  it('adds sidecars to the app containers and to every later init container', () => {
    const pod = makePod().initReq({ cpu: '1' }, true).initReq({ cpu: '3' }).req({ cpu: '1' }).obj();
    // app 1 + sidecar 1 = 2; the init container runs beside the sidecar: 3 + 1 = 4.
    expect(podInfoOf(pod).requests.milliCpu).toBe(4000);
  });

  it('adds the overhead', () => {
    const pod = makePod().req({ cpu: '500m', memory: '1Gi' }).overhead({ cpu: '250m', memory: '120Mi' }).obj();
    const { requests } = podInfoOf(pod);
    expect(requests.milliCpu).toBe(750);
    expect(requests.memory).toBe(1024 ** 3 + 120 * 1024 ** 2);
  });

  it('counts extended resources and ephemeral storage', () => {
    const pod = makePod().req({ 'example.com/gpu': '2', 'ephemeral-storage': '1Gi' }).obj();
    const { requests } = podInfoOf(pod);
    expect(requests.scalar).toEqual({ 'example.com/gpu': 2 });
    expect(requests.ephemeralStorage).toBe(1024 ** 3);
  });

  it('gives containers that ask for nothing the non-zero defaults, but keeps an explicit 0', () => {
    const pod = makePod().req({}).req({ cpu: '0', memory: '0' }).obj();
    const info = podInfoOf(pod);
    expect(info.requests.milliCpu).toBe(0);
    expect(info.nonZeroRequests.milliCpu).toBe(DEFAULT_MILLI_CPU_REQUEST);
    expect(info.nonZeroRequests.memory).toBe(DEFAULT_MEMORY_REQUEST);
  });

  it('lists host ports with the default protocol and address', () => {
    const pod = makePod().hostPort(8080).hostPort(53, 'UDP', '127.0.0.1').req({}).obj();
    expect(podInfoOf(pod).hostPorts).toEqual([
      { hostIP: '0.0.0.0', protocol: 'TCP', port: 8080 },
      { hostIP: '127.0.0.1', protocol: 'UDP', port: 53 },
    ]);
  });
});

describe('resourcesOf', () => {
  it('reads a node allocatable list in scheduler units and ignores unknown or broken amounts', () => {
    expect(
      resourcesOf({ cpu: '3500m', memory: '2Ki', pods: '110', 'hugepages-2Mi': '4Mi', foo: '1', 'x.io/y': 'bad' }),
    ).toEqual({ milliCpu: 3500, memory: 2048, ephemeralStorage: 0, pods: 110, scalar: { 'hugepages-2Mi': 4194304 } });
  });
});
