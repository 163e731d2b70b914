/**
 * Converting objects to the meta.k8s.io Table kubectl asks for (`Accept:
 * application/json;as=Table;v=v1;g=meta.k8s.io`): every column (kubectl hides the wide
 * ones), and per row the object as PartialObjectMetadata unless `includeObject` says otherwise.
 */
import { type KubeObject, type ListMeta, type ResourceInfo, StatusError } from '@tkube/api';
import { printerFor } from './printers.js';
import type { Table, TableRow } from './table-types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  if (value === null || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw StatusError.badRequest(
    `includeObject must be one of "None", "Metadata" or "Object", got ${JSON.stringify(value)}`,
  );
}

export interface TableOptions {
  tableVersion: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
  listMeta?: ListMeta;
  now?: number;
}

function rowObject(object: KubeObject, options: TableOptions): unknown {
  if (options.includeObject === 'Object') return object;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: object.metadata ?? {},
  };
}

export function toTable(
  info: Pick<ResourceInfo, 'group' | 'resource'>,
  objects: readonly KubeObject[],
  options: TableOptions,
): Table {
  const printer = printerFor(info);
  const now = options.now ?? Date.now();
  const rows = objects.map((object) => {
    const row: TableRow = { cells: printer.cells(object, now) };
    if (options.includeObject !== 'None') row.object = rowObject(object, options);
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: options.listMeta ?? {},
    columnDefinitions: printer.columns,
    rows,
  };
}
