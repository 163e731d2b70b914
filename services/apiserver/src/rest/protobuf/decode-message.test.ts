import { StatusError } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode-message.js';
import { writer } from './testing/message-writer.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;
const apps = (name: string) => `io.k8s.api.apps.v1.${name}`;

function badRequest(run: () => unknown): StatusError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest' });
    return err as StatusError;
  }
  throw new Error('expected a 400');
}

describe('zero values', () => {
  it('drops the zeros gogo-protobuf writes for omitempty fields', () => {
    const port = writer().string(1, '').varint(2, 0).varint(3, 8080).string(4, '').string(5, '');
    expect(decodeMessage(port.finish(), core('ContainerPort'))).toEqual({ containerPort: 8080 });
  });

  it('keeps zeros of fields without omitempty', () => {
    const port = writer().string(1, '').varint(2, 0).varint(3, 0).string(4, '');
    expect(decodeMessage(port.finish(), core('ContainerPort'))).toEqual({ containerPort: 0 });
  });

  it('keeps zeros of pointer fields, which are only on the wire when set', () => {
    expect(decodeMessage(writer().varint(1, 0).varint(5, 0).finish(), apps('DeploymentSpec'))).toEqual({ replicas: 0 });
    const security = writer().varint(2, false).varint(4, 0).finish();
    expect(decodeMessage(security, core('SecurityContext'))).toEqual({ privileged: false, runAsUser: 0 });
    const rolling = writer()
      .message(1, (m) => m.varint(1, 1).varint(2, 0).string(3, '25%'))
      .message(2, (m) => m.varint(1, 0).varint(2, 0).string(3, ''));
    expect(decodeMessage(rolling.finish(), apps('RollingUpdateDeployment'))).toEqual({
      maxUnavailable: '25%',
      maxSurge: 0,
    });
  });

  it('drops a zero IntOrString of a non-pointer field, as the default it stands for', () => {
    const servicePort = writer()
      .varint(3, 80)
      .message(4, (m) => m.varint(1, 0).varint(2, 0).string(3, ''));
    expect(decodeMessage(servicePort.finish(), core('ServicePort'))).toEqual({ port: 80 });
  });

  it('keeps nested messages even when empty, as Go JSON writes non-pointer structs', () => {
    const container = writer().string(1, 'c').message(8, writer()).varint(16, false);
    expect(decodeMessage(container.finish(), core('Container'))).toEqual({ name: 'c', resources: {} });
  });

  it('lets the last occurrence of a field win, a later zero unsetting it', () => {
    expect(decodeMessage(writer().string(1, 'a').string(1, 'b').finish(), core('ContainerPort'))).toEqual({
      name: 'b',
    });
    expect(decodeMessage(writer().string(2, 'x').string(2, '').finish(), core('Container'))).toEqual({});
  });
});

describe('repeated fields and maps', () => {
  it('keeps every element of a repeated field, empty strings included', () => {
    const container = writer().string(1, 'c').string(4, '').string(4, '--flag');
    expect(decodeMessage(container.finish(), core('Container'))).toEqual({ name: 'c', args: ['', '--flag'] });
  });

  it('reads repeated numbers both packed and unpacked', () => {
    const packed = writer()
      .string(1, 'In')
      .bytesField(2, Uint8Array.of(1, 2, 0xac, 0x02));
    expect(decodeMessage(packed.finish(), core('ContainerRestartRuleOnExitCodes'))).toEqual({
      operator: 'In',
      values: [1, 2, 300],
    });
    const unpacked = writer().string(1, 'In').varint(2, 1).varint(2, 2);
    expect(decodeMessage(unpacked.finish(), core('ContainerRestartRuleOnExitCodes'))).toEqual({
      operator: 'In',
      values: [1, 2],
    });
  });

  it('turns map entries into an object, keeping empty values and odd keys as data', () => {
    const meta = writer().string(1, 'm').entry(11, 'tier', '').entry(11, '__proto__', 'x').entry(12, 'note', 'hi');
    const decoded = decodeMessage(meta.finish(), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(decoded).toEqual({ name: 'm', labels: { tier: '', ['__proto__']: 'x' }, annotations: { note: 'hi' } });
    expect(Object.getPrototypeOf(decoded.labels)).toBe(Object.prototype);
    expect(JSON.stringify(decoded.labels)).toBe('{"tier":"","__proto__":"x"}');
  });

  it('base64-encodes bytes values and reads quantity values', () => {
    const secret = writer().message(2, (m) => m.string(1, 'key').bytesField(2, Uint8Array.of(0, 255, 1)));
    expect(decodeMessage(secret.finish(), core('Secret'))).toEqual({ data: { key: 'AP8B' } });
    const resources = writer()
      .message(1, (m) => m.string(1, 'cpu').message(2, (q) => q.string(1, '500m')))
      .message(2, (m) => m.string(1, 'memory').message(2, (q) => q.string(1, '64Mi')));
    expect(decodeMessage(resources.finish(), core('ResourceRequirements'))).toEqual({
      limits: { cpu: '500m' },
      requests: { memory: '64Mi' },
    });
  });

  it('refuses unknown fields in map entries, naming the entry', () => {
    const meta = writer().message(11, (m) => m.string(1, 'a').string(2, 'b').varint(3, 1));
    expect(
      badRequest(() => decodeMessage(meta.finish(), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')).message,
    ).toBe(
      'protobuf field 3 of io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.LabelsEntry is not supported by tkube; send JSON instead',
    );
  });
});

describe('inline (embedded) structs', () => {
  it('merges the embedded message into its parent', () => {
    const probe = writer()
      .message(1, (handler) => handler.message(1, (exec) => exec.string(1, 'cat').string(1, '/ready')))
      .varint(2, 0)
      .varint(4, 5);
    expect(decodeMessage(probe.finish(), core('Probe'))).toEqual({
      exec: { command: ['cat', '/ready'] },
      periodSeconds: 5,
    });
    const selector = writer()
      .message(1, (ref) => ref.string(1, 'settings'))
      .string(2, 'color');
    expect(decodeMessage(selector.finish(), core('ConfigMapKeySelector'))).toEqual({ name: 'settings', key: 'color' });
    const volume = writer()
      .string(1, 'data')
      .message(2, (source) => source.message(2, (dir) => dir.string(1, '')));
    expect(decodeMessage(volume.finish(), core('Volume'))).toEqual({ name: 'data', emptyDir: {} });
  });
});

describe('what it refuses', () => {
  it('an unknown field number, naming the message and the field', () => {
    const spec = writer()
      .message(2, (c) => c.string(1, 'c'))
      .varint(99, 1);
    expect(badRequest(() => decodeMessage(spec.finish(), core('PodSpec'))).message).toBe(
      'protobuf field 99 of io.k8s.api.core.v1.PodSpec is not supported by tkube; send JSON instead',
    );
  });

  it('a volume source tkube does not decode (a GCE persistent disk)', () => {
    const volume = writer()
      .string(1, 'disk')
      .message(2, (source) => source.message(3, (pd) => pd.string(1, 'pd')));
    expect(badRequest(() => decodeMessage(volume.finish(), core('Volume'))).message).toMatch(
      /^protobuf field 3 of io.k8s.api.core.v1.VolumeSource is not supported/,
    );
  });

  it('a value of the wrong wire type', () => {
    const port = writer().string(3, '80');
    expect(badRequest(() => decodeMessage(port.finish(), core('ContainerPort'))).message).toBe(
      'the protobuf body could not be decoded: field 3 of io.k8s.api.core.v1.ContainerPort is length-delimited, expected varint',
    );
  });

  it('a truncated nested message, naming the innermost message', () => {
    const container = writer()
      .string(1, 'c')
      .bytesField(6, Uint8Array.of(0x0a, 0x05, 0x61));
    expect(badRequest(() => decodeMessage(container.finish(), core('Container'))).message).toMatch(
      /length 5 runs past the end of the message \(in io\.k8s\.api\.core\.v1\.ContainerPort\)$/,
    );
  });

  it('an int64 beyond what a JSON number holds exactly', () => {
    const spec = writer().varint(4, 2n ** 60n);
    expect(badRequest(() => decodeMessage(spec.finish(), core('PodSpec'))).message).toMatch(
      /too large for a JSON number/,
    );
  });
});
