/** The meta.k8s.io/v1 Table that kubectl prints (`kubectl get`), and the printer contract. */
import type { KubeObject, ListMeta } from '@tkube/api';

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** How one kind prints: its columns and the cells of one object (every column, wide included). */
export interface Printer {
  columns: TableColumnDefinition[];
  cells(object: KubeObject, now: number): unknown[];
}

export function column(
  name: string,
  type: TableColumnDefinition['type'],
  description: string,
  options: { priority?: number; format?: string } = {},
): TableColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

export const NAME_COLUMN = column(
  'Name',
  'string',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.',
  { format: 'name' },
);

export const AGE_COLUMN = column(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);
