import type { DeleteOptions, KubeList, KubeObject, Namespace } from '@tkube/api';
import type { ListOptions, ResourceTarget } from '@tkube/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningController } from '../framework/index.js';
import { FakeClient, SharedInformers, silentLogger } from '../framework/index.js';
import { NAMESPACES, startNamespaceController } from './controller.js';

/** The fake apiserver plus the two calls only this controller makes. */
class NamespaceFakeClient extends FakeClient {
  async deleteCollection<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    _listOptions?: ListOptions,
    options?: DeleteOptions,
  ): Promise<KubeList<T>> {
    const list = await this.list<T>(target);
    for (const item of list.items) await this.delete(target, item.metadata?.name ?? '', options);
    return list;
  }

  async updateSubresource<T extends KubeObject>(
    target: ResourceTarget,
    name: string,
    _sub: string,
    object: T,
  ): Promise<T> {
    const current = await this.get<Namespace>(target, name);
    const finalizers = (object as Namespace).spec?.finalizers ?? [];
    const next = { ...current, spec: { finalizers } };
    const updated = await this.update(target, next);
    if (finalizers.length === 0) this.remove(target, '', name);
    return updated as unknown as T;
  }
}

async function eventually(assertion: () => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      assertion();
      return;
    } catch (err) {
      if (attempt >= 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const PODS: ResourceTarget = { group: '', version: 'v1', resource: 'pods' };
const CONFIG_MAPS: ResourceTarget = { group: '', version: 'v1', resource: 'configmaps' };

describe('namespace controller', () => {
  let informers: SharedInformers;
  let controller: RunningController;

  afterEach(async () => {
    await controller.stop();
    await informers.stop();
  });

  it('deletes the content of a terminating namespace, waits for it, then finalizes', async () => {
    const client = new NamespaceFakeClient();
    client.seed(NAMESPACES, {
      metadata: { name: 'team', deletionTimestamp: '2026-01-01T00:00:00Z' },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Terminating' },
    });
    client.seed(CONFIG_MAPS, { metadata: { name: 'settings', namespace: 'team' } });
    // A pod that is still shutting down (a finalizer holds it) keeps the namespace.
    client.seed(PODS, { metadata: { name: 'slow', namespace: 'team', finalizers: ['example.com/hold'] } });
    client.seed(PODS, { metadata: { name: 'elsewhere', namespace: 'default' } });

    informers = new SharedInformers({ client });
    controller = startNamespaceController({
      client,
      informers,
      logger: silentLogger,
      recheckMs: 20,
      resources: [PODS, CONFIG_MAPS],
    });
    informers.start();

    await eventually(() => expect(client.peek(CONFIG_MAPS, 'team', 'settings')).toBeUndefined());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.peek(NAMESPACES, '', 'team')).toBeDefined();

    const slow = client.peek<KubeObject>(PODS, 'team', 'slow');
    await client.update({ ...PODS, namespace: 'team' }, { ...slow, metadata: { ...slow?.metadata, finalizers: [] } });
    await eventually(() => expect(client.peek(NAMESPACES, '', 'team')).toBeUndefined());
    expect(client.peek(PODS, 'default', 'elsewhere')).toBeDefined();
  });

  it('leaves namespaces that are not being deleted alone', async () => {
    const client = new NamespaceFakeClient();
    client.seed(NAMESPACES, { metadata: { name: 'live' }, spec: { finalizers: ['kubernetes'] } });
    client.seed(CONFIG_MAPS, { metadata: { name: 'settings', namespace: 'live' } });
    informers = new SharedInformers({ client });
    controller = startNamespaceController({ client, informers, logger: silentLogger, resources: [CONFIG_MAPS] });
    informers.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.writes).toEqual([]);
  });
});
