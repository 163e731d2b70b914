/** core/v1 Namespace and Node, and coordination.k8s.io/v1 Lease. */
import type { KubeObject, Lease, Namespace, Node } from '../../types.js';
import { duplicate, type ErrorList, forbidden, invalid, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { INVALID_IP_MESSAGE, isIP, labelValueErrors, qualifiedNameErrors } from '../names.js';
import { validateQualifiedName } from '../object-meta.js';
import { validateTaintEffect } from '../pod/tolerations.js';

/** Finalizers a namespace may hold without a domain prefix. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateNamespace(object: KubeObject): ErrorList {
  const errs: ErrorList = [];
  const path = FieldPath.root('spec', 'finalizers');
  for (const finalizer of (object as Namespace).spec?.finalizers ?? []) {
    const msgs = qualifiedNameErrors(finalizer);
    if (msgs.length > 0) for (const msg of msgs) errs.push(invalid(path, finalizer, msg));
    else if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
      errs.push(invalid(path, finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bits) || !isIP(ip)) return false;
  return Number(bits) <= (ip.includes(':') ? 128 : 32);
}

export function validateNode(object: KubeObject): ErrorList {
  const spec = (object as Node).spec ?? {};
  const path = FieldPath.root('spec');
  const errs: ErrorList = [];
  const seen = new Set<string>();
  (spec.taints ?? []).forEach((taint, i) => {
    const at = path.child('taints').index(i);
    errs.push(...validateQualifiedName(taint.key ?? '', at.child('key')));
    if (taint.value)
      for (const msg of labelValueErrors(taint.value)) errs.push(invalid(at.child('value'), taint.value, msg));
    errs.push(...validateTaintEffect(taint.effect, false, at.child('effect')));
    const key = `${taint.key ?? ''}:${taint.effect ?? ''}`;
    if (seen.has(key)) errs.push(duplicate(at, taint));
    seen.add(key);
  });
  const cidrs = spec.podCIDRs ?? [];
  cidrs.forEach((cidr, i) => {
    if (!isCIDR(cidr))
      errs.push(
        invalid(
          path.child('podCIDRs').index(i),
          cidr,
          'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        ),
      );
  });
  if (cidrs.length > 0 && spec.podCIDR && spec.podCIDR !== cidrs[0]) {
    errs.push(invalid(path.child('podCIDRs'), cidrs, 'first value must match `podCIDR`'));
  }
  if (spec.podCIDR && !isCIDR(spec.podCIDR))
    errs.push(
      invalid(path.child('podCIDR'), spec.podCIDR, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'),
    );
  ((object as Node).status?.addresses ?? []).forEach((address, i) => {
    if (address.type === 'InternalIP' || address.type === 'ExternalIP') {
      if (!isIP(address.address ?? ''))
        errs.push(
          invalid(
            FieldPath.root('status', 'addresses').index(i).child('address'),
            address.address ?? '',
            INVALID_IP_MESSAGE,
          ),
        );
    }
  });
  return errs;
}

/** A node's pod CIDR and provider ID are set once, by whoever provisions the node. */
export function validateNodeUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const spec = (object as Node).spec ?? {};
  const oldSpec = (old as Node).spec ?? {};
  const errs: ErrorList = [];
  const oldCIDRs = oldSpec.podCIDRs ?? [];
  if (oldCIDRs.length > 0 && JSON.stringify(spec.podCIDRs ?? []) !== JSON.stringify(oldCIDRs)) {
    errs.push(
      forbidden(FieldPath.root('spec', 'podCIDRs'), 'node updates may not change podCIDR except from "" to valid'),
    );
  }
  if (oldSpec.providerID && spec.providerID !== oldSpec.providerID) {
    errs.push(
      forbidden(FieldPath.root('spec', 'providerID'), 'node updates may not change providerID except from "" to valid'),
    );
  }
  return errs;
}

export function validateLease(object: KubeObject): ErrorList {
  const spec = (object as Lease).spec ?? {};
  const path = FieldPath.root('spec');
  const errs: ErrorList = [];
  const duration = spec.leaseDurationSeconds;
  if (duration !== undefined && duration !== null && duration <= 0) {
    errs.push(invalid(path.child('leaseDurationSeconds'), duration, 'must be greater than 0'));
  }
  const transitions = spec.leaseTransitions;
  if (transitions !== undefined && transitions !== null && transitions < 0) {
    errs.push(invalid(path.child('leaseTransitions'), transitions, 'must be greater than or equal to 0'));
  }
  if (spec.preferredHolder && !spec.strategy) {
    errs.push(forbidden(path.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  }
  if (spec.strategy !== undefined && spec.strategy !== null && spec.strategy.length === 0) {
    errs.push(required(path.child('strategy')));
  }
  return errs;
}
