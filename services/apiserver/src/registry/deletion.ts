/**
 * The decisions of a delete, as kube's rest.BeforeDelete and the generic store make them:
 * preconditions, graceful deletion, the garbage collector's finalizers from the
 * propagation policy, and whether the object goes now or stays marked as deleting.
 * Pure: it works on a copy of the stored object and says what to write.
 */
import {
  type DeleteOptions,
  fieldCause,
  type KubeObject,
  type ResourceInfo,
  type StatusCause,
  StatusError,
} from '@tkube/api';
import { addSeconds, finalizersOf, isBeingDeleted, metaOf, rfc3339 } from './object-meta.js';
import { conflict } from './registry-errors.js';
import type { ResourceStrategy } from './strategy.js';

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

const PROPAGATION_POLICIES = ['Foreground', 'Background', 'Orphan'];

export type DeletionPlan =
  /** Remove the key; `object` is its last state (with the deletion marks when graceful). */
  | { action: 'delete'; object: KubeObject }
  /** Keep the key, write `object` (deletionTimestamp, finalizers) and answer with it. */
  | { action: 'mark'; object: KubeObject }
  /** Graceful deletion already under way and not shortened: answer with the object as is. */
  | { action: 'pending'; object: KubeObject };

/** ValidateDeleteOptions: 422 on a policy kube does not know or on two conflicting ones. */
export function validateDeleteOptions(options: DeleteOptions): void {
  const causes: StatusCause[] = [];
  const policy = options.propagationPolicy;
  if (options.orphanDependents !== undefined && policy !== undefined) {
    causes.push(
      fieldCause(
        'FieldValueInvalid',
        'propagationPolicy',
        'orphanDependents and deletionPropagation cannot be both set',
      ),
    );
  }
  if (policy !== undefined && !PROPAGATION_POLICIES.includes(policy)) {
    causes.push(
      fieldCause(
        'FieldValueNotSupported',
        'propagationPolicy',
        `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
      ),
    );
  }
  if (options.dryRun?.some((value) => value !== 'All')) {
    causes.push(fieldCause('FieldValueNotSupported', 'dryRun', 'Unsupported value: supported values: "All"'));
  }
  if (causes.length > 0) throw StatusError.invalid('DeleteOptions', '', causes, 'meta.k8s.io');
}

/** Preconditions of the delete: 409 when the stored uid or resourceVersion differ. */
export function checkPreconditions(info: ResourceInfo, existing: KubeObject, options: DeleteOptions): void {
  const meta = metaOf(existing);
  const name = meta.name ?? '';
  const wanted = options.preconditions;
  if (wanted?.uid !== undefined && wanted.uid !== null && wanted.uid !== meta.uid) {
    throw conflict(
      info,
      name,
      `the UID in the precondition (${wanted.uid}) does not match the UID in record (${meta.uid ?? ''}). The object might have been deleted and then recreated`,
    );
  }
  if (
    wanted?.resourceVersion !== undefined &&
    wanted.resourceVersion !== null &&
    wanted.resourceVersion !== meta.resourceVersion
  ) {
    throw conflict(
      info,
      name,
      `the ResourceVersion in the precondition (${wanted.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ''}). The object might have been modified`,
    );
  }
}

/**
 * Plans the delete of `existing` (a copy: it is changed in place). `now` is the clock's
 * current time.
 */
export function planDeletion(
  strategy: ResourceStrategy,
  existing: KubeObject,
  options: DeleteOptions,
  now: Date,
): DeletionPlan {
  const meta = metaOf(existing);
  const graceful = strategy.graceful ? applyGracePeriod(strategy, existing, options.gracePeriodSeconds, now) : 'none';
  // Finalizers cannot be changed by DeleteOptions once graceful deletion has started.
  if (graceful === 'pending') return { action: 'pending', object: existing };

  const finalizers = finalizersForGarbageCollection(finalizersOf(existing), options);
  if (finalizers.length > 0) meta.finalizers = finalizers;
  else delete meta.finalizers;

  if (finalizers.length > 0) {
    if (graceful === 'none') markAsDeleting(existing, now);
    return { action: 'mark', object: existing };
  }
  if (graceful !== 'none' && graceful > 0) return { action: 'mark', object: existing };
  return { action: 'delete', object: existing };
}

/**
 * rest.BeforeDelete for graceful kinds. Returns the grace period now in force ('none' when
 * the object has no grace to honour, e.g. it was marked with 0 and only waits for
 * finalizers) or 'pending' when an earlier, not longer, grace period already runs.
 */
function applyGracePeriod(
  strategy: ResourceStrategy,
  existing: KubeObject,
  requested: number | undefined,
  now: Date,
): number | 'none' | 'pending' {
  const meta = metaOf(existing);
  const asked = requested !== undefined && requested !== null && requested < 0 ? 1 : requested;
  if (isBeingDeleted(existing)) {
    const current = meta.deletionGracePeriodSeconds;
    if (current === undefined || current === null || current <= 0) return 'none';
    if (asked === undefined || asked === null || asked >= current) return 'pending';
    // Only a shorter period may be asked for: move the deadline earlier by the difference.
    const deadline = new Date(meta.deletionTimestamp as string);
    meta.deletionTimestamp = rfc3339(addSeconds(deadline, asked - current));
    meta.deletionGracePeriodSeconds = asked;
    return asked;
  }
  const period = strategy.graceful?.gracePeriodSeconds(existing, asked ?? undefined) ?? 0;
  meta.deletionTimestamp = rfc3339(addSeconds(now, period));
  meta.deletionGracePeriodSeconds = period;
  bumpGeneration(existing);
  return period;
}

/** markAsDeleting: the object stays until its finalizers are gone, with grace 0. */
function markAsDeleting(existing: KubeObject, now: Date): void {
  const meta = metaOf(existing);
  if (!isBeingDeleted(existing)) {
    bumpGeneration(existing);
    meta.deletionTimestamp = rfc3339(now);
  } else if (new Date(meta.deletionTimestamp as string).getTime() > now.getTime()) {
    meta.deletionTimestamp = rfc3339(now);
  }
  meta.deletionGracePeriodSeconds = 0;
}

/** A first delete is a change controllers must notice: generation moves when it is kept. */
function bumpGeneration(existing: KubeObject): void {
  const meta = metaOf(existing);
  if (typeof meta.generation === 'number' && meta.generation > 0) meta.generation += 1;
}

/**
 * deletionFinalizersForGarbageCollection: Orphan adds "orphan", Foreground adds
 * "foregroundDeletion", Background removes both; without a policy the finalizers already on
 * the object decide (the default for every served kind is background deletion).
 */
function finalizersForGarbageCollection(current: string[], options: DeleteOptions): string[] {
  const others = current.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  const orphan =
    options.orphanDependents ??
    (options.propagationPolicy !== undefined
      ? options.propagationPolicy === 'Orphan'
      : current.includes(ORPHAN_FINALIZER));
  const foreground =
    options.orphanDependents !== undefined
      ? false
      : options.propagationPolicy !== undefined
        ? options.propagationPolicy === 'Foreground'
        : current.includes(FOREGROUND_FINALIZER);
  // Keep the object's own order when nothing changes, so a repeated delete is a no-op.
  const wanted = [...others, ...(orphan ? [ORPHAN_FINALIZER] : []), ...(foreground ? [FOREGROUND_FINALIZER] : [])];
  const same = wanted.length === current.length && wanted.every((f) => current.includes(f));
  return same ? current : wanted;
}
