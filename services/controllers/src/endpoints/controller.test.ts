import type { EndpointSlice, Endpoints, Pod, Service } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningController } from '../framework/index.js';
import { FakeClient, SharedInformers, silentLogger } from '../framework/index.js';
import { startEndpointsController } from './controller.js';
import { ENDPOINT_SLICES, ENDPOINTS, PODS, SERVICES } from './resources.js';

/** Polls until the assertion passes (at most ~2 s). */
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

const service: Service = {
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

function pod(name: string, ip: string, ready = true): Pod {
  return {
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

describe('endpoints controller', () => {
  let client: FakeClient;
  let informers: SharedInformers;
  let controller: RunningController;

  function start(): void {
    informers = new SharedInformers({ client });
    controller = startEndpointsController({ client, informers, logger: silentLogger, workers: 1 });
    informers.start();
  }

  afterEach(async () => {
    await controller.stop();
    await informers.stop();
  });

  it('writes Endpoints and a slice for a selected pod, follows readiness, and writes nothing on resync', async () => {
    client = new FakeClient();
    client.seed(SERVICES, service);
    client.seed(PODS, pod('a', '10.244.0.2'));
    start();
    await eventually(() => {
      const endpoints = client.peek<Endpoints>(ENDPOINTS, 'default', 'web');
      expect(endpoints?.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(['10.244.0.2']);
      expect(endpoints?.subsets?.[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
      const slices = client.all<EndpointSlice>(ENDPOINT_SLICES, 'default');
      expect(slices).toHaveLength(1);
      expect(slices[0]?.endpoints?.[0]?.conditions?.ready).toBe(true);
    });

    const current = client.peek<Pod>(PODS, 'default', 'a');
    await client.updateStatus(PODS, {
      ...current,
      status: { ...current?.status, conditions: [{ type: 'Ready', status: 'False' }] },
    });
    await eventually(() => {
      const endpoints = client.peek<Endpoints>(ENDPOINTS, 'default', 'web');
      expect(endpoints?.subsets?.[0]?.addresses).toBeUndefined();
      expect(endpoints?.subsets?.[0]?.notReadyAddresses?.map((a) => a.ip)).toEqual(['10.244.0.2']);
      expect(client.all<EndpointSlice>(ENDPOINT_SLICES, 'default')[0]?.endpoints?.[0]?.conditions?.ready).toBe(false);
    });

    // An unrelated change to the service resyncs it; nothing differs, so nothing is written.
    const writes = client.writes.length;
    const svc = client.peek<Service>(SERVICES, 'default', 'web');
    await client.update(SERVICES, { ...svc, metadata: { ...svc?.metadata, annotations: { touched: 'yes' } } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.writes.slice(writes).filter((w) => w.resource !== 'services')).toEqual([]);
  });

  it('deletes the Endpoints and slices with the service', async () => {
    client = new FakeClient();
    client.seed(SERVICES, service);
    client.seed(PODS, pod('a', '10.244.0.2'));
    start();
    await eventually(() => expect(client.peek(ENDPOINTS, 'default', 'web')).toBeDefined());
    await client.delete({ ...SERVICES, namespace: 'default' }, 'web');
    await eventually(() => {
      expect(client.peek(ENDPOINTS, 'default', 'web')).toBeUndefined();
      expect(client.all(ENDPOINT_SLICES, 'default')).toEqual([]);
    });
  });

  it('leaves services without a selector alone', async () => {
    client = new FakeClient();
    client.seed(SERVICES, { metadata: { name: 'external', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.writes).toEqual([]);
  });
});
