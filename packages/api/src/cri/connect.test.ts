import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCri } from './connect.js';
import {
  ContainerState,
  type ListContainersRequest,
  type ListContainersResponse,
  RuntimeServiceService,
  type VersionRequest,
  type VersionResponse,
} from './generated/cri/api.js';

describe('connectCri', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cri-connect-'));
  const socket = join(dir, 'cri.sock');
  const server = new Server();
  const seen: ListContainersRequest[] = [];

  beforeAll(async () => {
    const version: handleUnaryCall<VersionRequest, VersionResponse> = (call, callback) =>
      callback(null, {
        version: call.request.version,
        runtimeName: 'fake',
        runtimeVersion: '1.0',
        runtimeApiVersion: 'v1',
      });
    const listContainers: handleUnaryCall<ListContainersRequest, ListContainersResponse> = (call, callback) => {
      seen.push(call.request);
      if (call.request.filter?.id === 'missing') {
        callback({ code: status.NOT_FOUND, details: 'no such container' });
        return;
      }
      callback(null, { containers: [] });
    };
    const implementation: UntypedServiceImplementation = { version, listContainers };
    server.addService(RuntimeServiceService, implementation);
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  });

  afterAll(() => {
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('calls a unary rpc with a partial request and resolves its response', async () => {
    const cri = connectCri(socket);
    try {
      const reply = await cri.runtimeApi.version({ version: 'v1' });
      expect(reply).toEqual({ version: 'v1', runtimeName: 'fake', runtimeVersion: '1.0', runtimeApiVersion: 'v1' });
      // Nested partial messages are completed with proto3 defaults before encoding.
      await cri.runtimeApi.listContainers({ filter: { state: { state: ContainerState.CONTAINER_RUNNING } } });
      expect(seen.at(-1)?.filter).toEqual({
        id: '',
        state: { state: ContainerState.CONTAINER_RUNNING },
        podSandboxId: '',
        labelSelector: {},
      });
    } finally {
      cri.close();
    }
  });

  it('rejects with the server status code', async () => {
    const cri = connectCri(`unix://${socket}`);
    try {
      await expect(cri.runtimeApi.listContainers({ filter: { id: 'missing' } })).rejects.toMatchObject({
        code: status.NOT_FOUND,
      });
      // An rpc the server does not implement answers UNIMPLEMENTED.
      await expect(cri.imageApi.listImages()).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
    } finally {
      cri.close();
    }
  });
});
