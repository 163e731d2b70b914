import type { ConfigMap, Container, Pod, Secret } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { type ConfigSource, containerEnv, expandCommand } from './container-env.js';
import { ContainerConfigError } from './errors.js';
import { expand } from './expand.js';

describe('expand', () => {
  const vars: Record<string, string> = { A: 'a', EMPTY: '' };
  const lookup = (name: string) => vars[name];
  it.each([
    ['$(A)', 'a'],
    ['x$(A)y$(A)', 'xaya'],
    ['$(MISSING)', '$(MISSING)'],
    ['$$(A)', '$(A)'],
    ['$$', '$'],
    ['$(A', '$(A'],
    ['$A', '$A'],
    ['a$', 'a$'],
    ['$(EMPTY)x', 'x'],
    ['$()', '$()'],
  ])('%s -> %s', (input, output) => {
    expect(expand(input, lookup)).toBe(output);
  });
});

const pod: Pod = {
  metadata: { name: 'web', namespace: 'ns1', uid: 'u1', labels: { app: 'web', tier: 'front' } },
  spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [] },
};

const configMaps: Record<string, ConfigMap> = {
  settings: { metadata: { name: 'settings' }, data: { MODE: 'fast', 'bad key': 'x', LEVEL: '3' } },
};
const secrets: Record<string, Secret> = {
  creds: { metadata: { name: 'creds' }, data: { PASSWORD: Buffer.from('s3cret').toString('base64') } },
};
const source: ConfigSource = {
  getConfigMap: async (_ns, name) => configMaps[name],
  getSecret: async (_ns, name) => secrets[name],
};
const context = { source, allocatable: { cpu: '2', memory: '4Gi' }, podIps: ['10.244.1.5'], hostIps: ['127.0.0.1'] };

describe('containerEnv', () => {
  it('resolves values, field refs, resources, config maps, secrets and envFrom in kube order', async () => {
    const container: Container = {
      name: 'c',
      resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } },
      envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CM_' }, { secretRef: { name: 'creds' } }],
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'LABELS', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } },
        { name: 'PASS', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
        { name: 'URL', value: 'http://$(IP):8080/$(POD)/$(UNDEFINED)' },
        { name: 'LATER', value: '$(DEFINED_AFTER)' },
        { name: 'DEFINED_AFTER', value: 'x' },
      ],
    };
    const env = Object.fromEntries((await containerEnv(pod, container, context)).map((v) => [v.name, v.value]));
    expect(env).toEqual({
      CM_MODE: 'fast',
      CM_LEVEL: '3',
      PASSWORD: 's3cret',
      POD: 'web',
      NS: 'ns1',
      IP: '10.244.1.5',
      HOST_IP: '127.0.0.1',
      NODE: 'node-1',
      APP: 'web',
      LABELS: 'app="web"\ntier="front"',
      MEM_MI: '64',
      CPU_LIMIT: '2',
      CPU_REQ_M: '250',
      MODE: 'fast',
      PASS: 's3cret',
      URL: 'http://10.244.1.5:8080/web/$(UNDEFINED)',
      LATER: '$(DEFINED_AFTER)',
      DEFINED_AFTER: 'x',
    });
  });

  it('fails with kube messages on missing sources and keys, and skips optional ones', async () => {
    const fails = async (env: Container['env'], message: string) => {
      const run = containerEnv(pod, { name: 'c', env }, context);
      await expect(run).rejects.toThrow(ContainerConfigError);
      await expect(run).rejects.toThrow(message);
    };
    await fails(
      [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }],
      'configmap "nope" not found',
    );
    await fails(
      [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }],
      "couldn't find key k in ConfigMap ns1/settings",
    );
    await fails([{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }], 'secret "nope" not found');
    const env = await containerEnv(
      pod,
      {
        name: 'c',
        envFrom: [{ configMapRef: { name: 'nope', optional: true } }],
        env: [
          { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
          { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'k', optional: true } } },
          { name: 'C', value: 'c' },
        ],
      },
      context,
    );
    expect(env).toEqual([{ name: 'C', value: 'c' }]);
  });

  it('expands command and args against the final environment', () => {
    const out = expandCommand({ name: 'c', command: ['sh', '-c'], args: ['echo $(GREETING) $$(HOME) $(NOPE)'] }, [
      { name: 'GREETING', value: 'hi' },
    ]);
    expect(out).toEqual({ command: ['sh', '-c'], args: ['echo hi $(HOME) $(NOPE)'] });
  });
});
