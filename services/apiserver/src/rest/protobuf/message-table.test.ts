import { describe, expect, it } from 'vitest';
import type { FieldSpec } from './message-spec.js';
import { MESSAGES, messageForKind } from './message-table.js';

function referencedMessages(field: FieldSpec): string[] {
  const type = field.type;
  if (typeof type !== 'object') return [];
  if ('message' in type) return [type.message];
  return typeof type.map === 'object' ? [type.map.message] : [];
}

describe('the message table', () => {
  it('defines every message a field refers to', () => {
    const missing = Object.entries(MESSAGES).flatMap(([name, spec]) =>
      Object.values(spec)
        .flatMap(referencedMessages)
        .filter((target) => !Object.hasOwn(MESSAGES, target))
        .map((target) => `${name} -> ${target}`),
    );
    expect(missing).toEqual([]);
  });

  it('gives each field of a message its own JSON name', () => {
    const clashes = Object.entries(MESSAGES).flatMap(([name, spec]) => {
      const names = Object.values(spec)
        .filter((field) => !field.inline)
        .map((field) => field.json);
      return names.filter((json, i) => names.indexOf(json) !== i).map((json) => `${name}.${json}`);
    });
    expect(clashes).toEqual([]);
  });

  it('maps the kinds kubectl creates to messages it defines', () => {
    const kinds: [string, string][] = [
      ['v1', 'Namespace'],
      ['v1', 'ConfigMap'],
      ['v1', 'Secret'],
      ['v1', 'ServiceAccount'],
      ['v1', 'Service'],
      ['apps/v1', 'Deployment'],
      ['batch/v1', 'Job'],
      ['batch/v1', 'CronJob'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ];
    for (const [apiVersion, kind] of kinds) {
      const name = messageForKind(apiVersion, kind);
      expect(name, `${apiVersion} ${kind}`).toBeDefined();
      expect(Object.hasOwn(MESSAGES, name ?? '')).toBe(true);
    }
    expect(messageForKind('v1', 'toString')).toBeUndefined();
    expect(messageForKind('constructor', 'Namespace')).toBeUndefined();
  });
});
