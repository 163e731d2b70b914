/** GET of one object and of a collection, as objects or as a Table for kubectl. */
import type { KubeObject } from '@tkube/api';
import { negotiateResource } from '../negotiation.js';
import { listOptions } from '../query-options.js';
import type { ResourceRequest } from '../resource-request.js';
import { writeBody } from '../response.js';
import { includeObjectOf, toTable } from '../table/to-table.js';

export async function getObject(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const object = await request.registry.get(request.namespace, request.name ?? '');
  if (format.table) {
    const table = toTable(request.info, [object], {
      tableVersion: format.table,
      includeObject: includeObjectOf(request.query),
      listMeta: { resourceVersion: object.metadata?.resourceVersion ?? '' },
    });
    writeBody(request.res, 200, table);
    return;
  }
  writeBody(request.res, 200, object, format.encoding);
}

export async function listObjects(request: ResourceRequest): Promise<void> {
  const format = negotiateResource(request.req.headers.accept);
  const list = await request.registry.list(request.namespace, listOptions(request.query));
  if (format.table) {
    const table = toTable(request.info, list.items as KubeObject[], {
      tableVersion: format.table,
      includeObject: includeObjectOf(request.query),
      listMeta: list.metadata,
    });
    writeBody(request.res, 200, table);
    return;
  }
  writeBody(request.res, 200, list, format.encoding);
}
