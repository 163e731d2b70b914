/** Probes and lifecycle hooks (validateProbe, validateHandler, validateLifecycle). */
import type { Container, Probe } from '../../types.js';
import { type ErrorList, forbidden, invalid, notSupported, required } from '../field-errors.js';
import type { FieldPath } from '../field-path.js';
import { validatePortNumOrName } from '../int-or-string.js';
import { httpHeaderNameErrors, portNumberErrors } from '../names.js';
import { validateNonnegative } from '../object-meta.js';

type Lifecycle = NonNullable<Container['lifecycle']>;
type Handler = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket' | 'grpc'> & { sleep?: { seconds?: number } };

const HTTP_SCHEMES = ['HTTP', 'HTTPS'];

function validateHandler(handler: Handler, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  let handlers = 0;
  const claim = (name: string, check: () => ErrorList) => {
    if (handlers > 0) {
      errs.push(forbidden(path.child(name), 'may not specify more than 1 handler type'));
      return;
    }
    handlers++;
    errs.push(...check());
  };
  if (handler.exec) {
    const exec = handler.exec;
    claim('exec', () => ((exec.command ?? []).length === 0 ? [required(path.child('exec', 'command'))] : []));
  }
  if (handler.httpGet) {
    const http = handler.httpGet;
    claim('httpGet', () => {
      const at = path.child('httpGet');
      const out: ErrorList = [];
      if (!http.path) out.push(required(at.child('path')));
      out.push(...validatePortNumOrName(http.port, at.child('port')));
      if (!HTTP_SCHEMES.includes(http.scheme ?? ''))
        out.push(notSupported(at.child('scheme'), http.scheme ?? '', HTTP_SCHEMES));
      for (const header of http.httpHeaders ?? []) {
        for (const msg of httpHeaderNameErrors(header.name ?? ''))
          out.push(invalid(at.child('httpHeaders'), header.name ?? '', msg));
      }
      return out;
    });
  }
  if (handler.tcpSocket) {
    const tcp = handler.tcpSocket;
    claim('tcpSocket', () => validatePortNumOrName(tcp.port, path.child('tcpSocket', 'port')));
  }
  if (handler.grpc) {
    const grpc = handler.grpc;
    claim('grpc', () => portNumberErrors(grpc.port).map((msg) => invalid(path.child('grpc', 'port'), grpc.port, msg)));
  }
  if (handler.sleep) {
    const sleep = handler.sleep;
    claim('sleep', () =>
      (sleep.seconds ?? 0) < 0 ? [invalid(path.child('sleep', 'seconds'), sleep.seconds, 'must be non-negative')] : [],
    );
  }
  if (handlers === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: Probe, path: FieldPath): ErrorList {
  const errs = validateHandler(probe, path);
  errs.push(...validateNonnegative(probe.initialDelaySeconds, path.child('initialDelaySeconds')));
  errs.push(...validateNonnegative(probe.timeoutSeconds, path.child('timeoutSeconds')));
  errs.push(...validateNonnegative(probe.periodSeconds, path.child('periodSeconds')));
  errs.push(...validateNonnegative(probe.successThreshold, path.child('successThreshold')));
  errs.push(...validateNonnegative(probe.failureThreshold, path.child('failureThreshold')));
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace <= 0) {
    errs.push(invalid(path.child('terminationGracePeriodSeconds'), grace, 'must be greater than 0'));
  }
  return errs;
}

/** Liveness and startup probes decide a restart, which one success must be enough to undo. */
export function validateLivenessOrStartupProbe(probe: Probe | undefined, path: FieldPath): ErrorList {
  if (!probe) return [];
  const errs = validateProbe(probe, path);
  if (probe.successThreshold !== 1)
    errs.push(invalid(path.child('successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  return errs;
}

export function validateReadinessProbe(probe: Probe | undefined, path: FieldPath): ErrorList {
  if (!probe) return [];
  const errs = validateProbe(probe, path);
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    errs.push(
      invalid(
        path.child('terminationGracePeriodSeconds'),
        probe.terminationGracePeriodSeconds,
        'must not be set for readinessProbes',
      ),
    );
  }
  return errs;
}

export function validateLifecycle(lifecycle: Lifecycle | undefined, path: FieldPath): ErrorList {
  if (!lifecycle) return [];
  const errs: ErrorList = [];
  if (lifecycle.postStart) errs.push(...validateHandler(lifecycle.postStart, path.child('postStart')));
  if (lifecycle.preStop) errs.push(...validateHandler(lifecycle.preStop, path.child('preStop')));
  return errs;
}
