/** apps/v1 StatefulSet (ValidateStatefulSetSpec, ValidateStatefulSetUpdate). */
import type { KubeObject, StatefulSet } from '../../types.js';
import { type ErrorList, forbidden, invalid, notSupported, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { validateNotMoreThan100Percent, validatePositiveIntOrPercent } from '../int-or-string.js';
import { validateNonnegative } from '../object-meta.js';
import { deepCopy, semanticEqual } from '../semantic-equal.js';
import { validatePersistentVolumeClaimSpec } from './persistent-volume-claim.js';
import { validateSelectorAndTemplate } from './workload.js';

type StatefulSetSpec = NonNullable<StatefulSet['spec']>;

const RETENTION_POLICIES = ['Retain', 'Delete'];

function validateUpdateStrategy(spec: StatefulSetSpec, path: FieldPath): ErrorList {
  const strategy = spec.updateStrategy ?? {};
  switch (strategy.type) {
    case undefined:
    case '':
      return [required(path)];
    case 'OnDelete':
      return strategy.rollingUpdate
        ? [
            invalid(
              path.child('rollingUpdate'),
              strategy.rollingUpdate,
              "only allowed for updateStrategy 'RollingUpdate'",
            ),
          ]
        : [];
    case 'RollingUpdate': {
      const rolling = strategy.rollingUpdate;
      if (!rolling) return [];
      const at = path.child('rollingUpdate');
      const errs = validateNonnegative(rolling.partition, at.child('partition'));
      if (rolling.maxUnavailable !== undefined && rolling.maxUnavailable !== null) {
        errs.push(...validatePositiveIntOrPercent(rolling.maxUnavailable, at.child('maxUnavailable')));
        if (rolling.maxUnavailable === 0 || rolling.maxUnavailable === '0%') {
          errs.push(invalid(at.child('maxUnavailable'), rolling.maxUnavailable, 'must be greater than 0'));
        }
        errs.push(...validateNotMoreThan100Percent(rolling.maxUnavailable, at.child('maxUnavailable')));
      }
      return errs;
    }
    default:
      return [invalid(path, strategy, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateRetentionPolicy(spec: StatefulSetSpec, path: FieldPath): ErrorList {
  const policy = spec.persistentVolumeClaimRetentionPolicy;
  if (!policy) return [];
  const errs: ErrorList = [];
  for (const field of ['whenDeleted', 'whenScaled'] as const) {
    const value = policy[field] ?? '';
    if (!RETENTION_POLICIES.includes(value)) errs.push(notSupported(path.child(field), value, RETENTION_POLICIES));
  }
  return errs;
}

export function validateStatefulSet(object: KubeObject): ErrorList {
  const spec = (object as StatefulSet).spec;
  const path = FieldPath.root('spec');
  if (!spec) return [required(path)];
  const errs: ErrorList = [];
  const policy = spec.podManagementPolicy ?? '';
  if (!policy) errs.push(required(path.child('podManagementPolicy')));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(invalid(path.child('podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errs.push(...validateUpdateStrategy(spec, path.child('updateStrategy')));
  errs.push(...validateRetentionPolicy(spec, path.child('persistentVolumeClaimRetentionPolicy')));
  errs.push(...validateNonnegative(spec.replicas, path.child('replicas')));
  errs.push(...validateNonnegative(spec.minReadySeconds, path.child('minReadySeconds')));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  if (spec.ordinals) errs.push(...validateNonnegative(spec.ordinals.start, path.child('ordinals', 'start')));
  const claimVolumes = (spec.volumeClaimTemplates ?? [])
    .map((claim) => claim.metadata?.name ?? '')
    .filter((name) => name);
  errs.push(
    ...validateSelectorAndTemplate(spec, path, {
      emptySelectorMessage: 'empty selector is invalid for statefulset',
      controllerKind: 'StatefulSet',
      claimVolumes,
    }),
  );
  (spec.volumeClaimTemplates ?? []).forEach((claim, i) => {
    const at = path.child('volumeClaimTemplates').index(i);
    if (!claim.metadata?.name) errs.push(required(at.child('metadata', 'name')));
    errs.push(...validatePersistentVolumeClaimSpec(claim.spec, at.child('spec')));
  });
  return errs;
}

/** Fields a StatefulSet may change after creation; everything else in spec is fixed. */
const MUTABLE_FIELDS = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
] as const;

export function validateStatefulSetUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const spec = deepCopy((object as StatefulSet).spec ?? {}) as Record<string, unknown>;
  const oldSpec = deepCopy((old as StatefulSet).spec ?? {}) as Record<string, unknown>;
  for (const field of MUTABLE_FIELDS) {
    delete spec[field];
    delete oldSpec[field];
  }
  if (semanticEqual(spec, oldSpec)) return [];
  return [
    forbidden(
      FieldPath.root('spec'),
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}
