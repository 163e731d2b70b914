/**
 * The kubelet's watch of its own Node (kube's node informer with the field selector
 * metadata.name=<node>): how it learns what others write into the Node's spec, above all
 * the pod CIDR that node IPAM patches in shortly after registration.
 */
import type { Node } from '@tkube/api';
import { Informer, type ListWatchClient } from '@tkube/client';

export function ownNodeInformer(
  client: ListWatchClient,
  nodeName: string,
  onNode: (node: Node) => void,
  onError: (err: unknown) => void,
): Informer<Node> {
  const informer = new Informer<Node>({
    client,
    resource: { group: '', version: 'v1', resource: 'nodes' },
    fieldSelector: `metadata.name=${nodeName}`,
    onError,
  });
  informer.addEventHandler({
    onAdd: onNode,
    onUpdate: (_old, node) => onNode(node),
  });
  return informer;
}
