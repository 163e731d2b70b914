import type { Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { assignedNode, chooseContainer, containerNames } from './container-choice.js';

function pod(containers: string[], extra: { init?: string[]; ephemeral?: string[]; nodeName?: string } = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      containers: containers.map((name) => ({ name, image: 'busybox:1.35' })),
      ...(extra.init ? { initContainers: extra.init.map((name) => ({ name, image: 'busybox:1.35' })) } : {}),
      ...(extra.ephemeral
        ? { ephemeralContainers: extra.ephemeral.map((name) => ({ name, image: 'busybox:1.35' })) }
        : {}),
      ...(extra.nodeName ? { nodeName: extra.nodeName } : {}),
    },
  };
}

describe('chooseContainer', () => {
  it('takes the only container when none is named', () => {
    expect(chooseContainer(pod(['app']), undefined)).toBe('app');
    expect(chooseContainer(pod(['app']), '')).toBe('app');
  });

  it('asks for a name among all containers, init ones first, as kube-apiserver', () => {
    expect(() => chooseContainer(pod(['a', 'b'], { init: ['setup'] }), undefined)).toThrow(
      'a container name must be specified for pod web, choose one of: [setup a b]',
    );
    expect(() => chooseContainer(pod([]), undefined)).toThrow('a container name must be specified for pod web');
  });

  it('accepts any named container, including init and ephemeral ones', () => {
    const p = pod(['a', 'b'], { init: ['setup'], ephemeral: ['debugger'] });
    expect(chooseContainer(p, 'b')).toBe('b');
    expect(chooseContainer(p, 'setup')).toBe('setup');
    expect(chooseContainer(p, 'debugger')).toBe('debugger');
    expect(containerNames(p)).toEqual(['setup', 'a', 'b', 'debugger']);
  });

  it('refuses an unknown name with 400 BadRequest', () => {
    let caught: unknown;
    try {
      chooseContainer(pod(['a']), 'c');
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 400, reason: 'BadRequest', message: 'container c is not valid for pod web' });
  });
});

describe('assignedNode', () => {
  it('names the node or says the pod has none', () => {
    expect(assignedNode(pod(['a'], { nodeName: 'node-1' }))).toBe('node-1');
    expect(() => assignedNode(pod(['a']))).toThrow('pod web does not have a host assigned');
  });
});
