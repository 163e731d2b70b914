import { describe, expect, it } from 'vitest';
import { kubeletError, kubeletUnreachable } from './kubelet-errors.js';

describe('kubeletError', () => {
  it("makes a kubelet's text the message, with its code", () => {
    expect(kubeletError(400, 'container "app" in pod "web" is waiting to start: ContainerCreating\n')).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'container "app" in pod "web" is waiting to start: ContainerCreating',
    });
    expect(kubeletError(404, 'no such container')).toMatchObject({ code: 404, reason: 'NotFound' });
    expect(kubeletError(500, 'boom').message).toBe('Internal error occurred: boom');
    expect(kubeletError(418, '')).toMatchObject({
      code: 418,
      message: 'the server responded with the status code 418 but did not return more information',
    });
  });

  it('passes a Status body through', () => {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'container not found ("app")',
      reason: 'NotFound',
      code: 404,
    };
    expect(kubeletError(404, JSON.stringify(status)).toStatus()).toMatchObject(status);
  });
});

describe('kubeletUnreachable', () => {
  it('says the backend could not be dialled', () => {
    expect(kubeletUnreachable(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toMatchObject({
      code: 500,
      message: 'Internal error occurred: error dialing backend: connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});
