/** Informer handlers that keep the record index equal to the caches. */
import type { EndpointSlice, Service } from '@tkube/api';
import type { EventHandler } from '@tkube/client';
import type { RecordIndex } from './record-index.js';

export function serviceHandler(index: RecordIndex): EventHandler<Service> {
  return {
    onAdd: (service) => index.setService(service),
    onUpdate: (_old, service) => index.setService(service),
    onDelete: (service) => index.deleteService(service),
  };
}

export function endpointSliceHandler(index: RecordIndex): EventHandler<EndpointSlice> {
  return {
    onAdd: (slice) => index.setEndpointSlice(slice),
    onUpdate: (_old, slice) => index.setEndpointSlice(slice),
    onDelete: (slice) => index.deleteEndpointSlice(slice),
  };
}
