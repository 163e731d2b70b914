import { ContainerConfig, MountPropagation, NamespaceMode, PodSandboxConfig } from '@tkube/api/cri';
import { describe, expect, it } from 'vitest';
import { bindOf, containerSpecOf, resolvConfOf, resourceLimitsOf, sandboxSpecOf } from './container-config.js';

const sandboxConfig = PodSandboxConfig.fromPartial({
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', attempt: 0 },
  hostname: 'web-host',
  logDirectory: '/var/log/pods/shop_web_u-1',
  linux: { cgroupParent: '/kubepods/podu-1' },
});

describe('sandboxSpecOf', () => {
  it('makes a pause container with no network and a shareable IPC namespace', () => {
    const spec = sandboxSpecOf(sandboxConfig, 'tkube/pause:3.10');
    expect(spec).toMatchObject({
      name: 'k8s_POD_web_shop_u-1_0',
      image: 'tkube/pause:3.10',
      networkMode: 'none',
      ipcMode: 'shareable',
      hostname: 'web-host',
      cgroupParent: '/kubepods/podu-1',
    });
  });

  it('uses the host network and IPC when the pod asks for them', () => {
    const config = PodSandboxConfig.fromPartial({
      ...sandboxConfig,
      linux: {
        securityContext: {
          namespaceOptions: { network: NamespaceMode.NODE, ipc: NamespaceMode.NODE, pid: NamespaceMode.NODE },
        },
      },
    });
    const spec = sandboxSpecOf(config, 'pause');
    expect(spec).toMatchObject({ networkMode: 'host', ipcMode: 'host', pidMode: 'host' });
    expect(spec.hostname).toBeUndefined();
  });

  it('refuses a sandbox without pod identity', () => {
    expect(() => sandboxSpecOf(PodSandboxConfig.fromPartial({ metadata: { name: 'x' } }), 'pause')).toThrow(/metadata/);
  });

  it('writes a resolv.conf only when DNS is configured', () => {
    expect(resolvConfOf(sandboxConfig)).toBeUndefined();
    const config = PodSandboxConfig.fromPartial({
      dnsConfig: {
        servers: ['10.96.0.10'],
        searches: ['shop.svc.cluster.local', 'svc.cluster.local'],
        options: ['ndots:5'],
      },
    });
    expect(resolvConfOf(config)).toBe(
      'nameserver 10.96.0.10\nsearch shop.svc.cluster.local svc.cluster.local\noptions ndots:5\n',
    );
  });
});

describe('containerSpecOf', () => {
  const config = ContainerConfig.fromPartial({
    metadata: { name: 'app', attempt: 1 },
    image: { image: 'busybox:1.35' },
    command: ['sh', '-c'],
    args: ['echo hi'],
    workingDir: '/work',
    envs: [{ key: 'A', value: 'x=y' }],
    mounts: [
      { hostPath: '/data', containerPath: '/mnt/data', readonly: true },
      { hostPath: '/run/a', containerPath: '/a', propagation: MountPropagation.PROPAGATION_HOST_TO_CONTAINER },
    ],
    logPath: 'app/1.log',
    linux: {
      resources: { cpuPeriod: 100000n, cpuQuota: 50000n, cpuShares: 512n, memoryLimitInBytes: 64n * 1024n * 1024n },
      securityContext: { runAsUser: { value: 1000n }, runAsGroup: { value: 3000n } },
    },
  });

  it('joins the sandbox network and IPC namespaces and keeps the PID namespace private', () => {
    const spec = containerSpecOf({ sandboxId: 'sb1', config, sandboxConfig });
    expect(spec.networkMode).toBe('container:sb1');
    expect(spec.ipcMode).toBe('container:sb1');
    expect(spec.pidMode).toBeUndefined();
  });

  it('shares the pod PID namespace on request', () => {
    const shared = ContainerConfig.fromPartial({
      ...config,
      linux: { securityContext: { namespaceOptions: { pid: NamespaceMode.POD } } },
    });
    expect(containerSpecOf({ sandboxId: 'sb1', config: shared, sandboxConfig }).pidMode).toBe('container:sb1');
  });

  it('maps command to entrypoint, args to cmd, env, workdir, user and mounts', () => {
    const spec = containerSpecOf({ sandboxId: 'sb1', config, sandboxConfig });
    expect(spec).toMatchObject({
      name: 'k8s_app_web_shop_u-1_1',
      image: 'busybox:1.35',
      entrypoint: ['sh', '-c'],
      cmd: ['echo hi'],
      workingDir: '/work',
      env: ['A=x=y'],
      user: '1000:3000',
      binds: ['/data:/mnt/data:ro', '/run/a:/a:rslave'],
      cgroupParent: '/kubepods/podu-1',
    });
    expect(spec.labels['io.kubernetes.container.logpath']).toBe('/var/log/pods/shop_web_u-1/app/1.log');
  });

  it('keeps the image entrypoint and cmd when the pod gives none', () => {
    const plain = ContainerConfig.fromPartial({ metadata: { name: 'a' }, image: { image: 'busybox:1.35' } });
    const spec = containerSpecOf({ sandboxId: 'sb1', config: plain, sandboxConfig });
    expect(spec.entrypoint).toBeUndefined();
    expect(spec.cmd).toBeUndefined();
  });

  it('turns CPU and memory limits into cgroup limits without swap', () => {
    expect(containerSpecOf({ sandboxId: 'sb1', config, sandboxConfig }).resources).toEqual({
      cpuPeriod: 100000,
      cpuQuota: 50000,
      cpuShares: 512,
      memory: 64 * 1024 * 1024,
      memorySwap: 64 * 1024 * 1024,
    });
    expect(resourceLimitsOf(undefined)).toEqual({});
  });

  it('rejects a group without a user, and configs without a name or image', () => {
    const groupOnly = ContainerConfig.fromPartial({
      metadata: { name: 'a' },
      image: { image: 'busybox:1.35' },
      linux: { securityContext: { runAsGroup: { value: 1n } } },
    });
    expect(() => containerSpecOf({ sandboxId: 'sb', config: groupOnly, sandboxConfig })).toThrow(/run_as_group/);
    expect(() =>
      containerSpecOf({
        sandboxId: 'sb',
        config: ContainerConfig.fromPartial({ image: { image: 'x' } }),
        sandboxConfig,
      }),
    ).toThrow(/metadata.name/);
    expect(() =>
      containerSpecOf({
        sandboxId: 'sb',
        config: ContainerConfig.fromPartial({ metadata: { name: 'a' } }),
        sandboxConfig,
      }),
    ).toThrow(/image/);
  });

  it('uses a user name when given one', () => {
    const named = ContainerConfig.fromPartial({
      metadata: { name: 'a' },
      image: { image: 'busybox:1.35' },
      linux: { securityContext: { runAsUsername: 'nobody' } },
    });
    expect(containerSpecOf({ sandboxId: 'sb', config: named, sandboxConfig }).user).toBe('nobody');
  });

  it('refuses a mount without paths', () => {
    expect(() =>
      bindOf({ hostPath: '', containerPath: '/x', readonly: false, selinuxRelabel: false, propagation: 0 }),
    ).toThrow(/host_path/);
  });
});
