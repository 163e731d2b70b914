/** The Endpoints and EndpointSlice controller. */
export type { EndpointsControllerDeps } from './controller.js';
export { startEndpointsController } from './controller.js';
export { desiredEndpoints, SKIP_MIRROR_LABEL } from './desired-endpoints.js';
export {
  CONTROLLER_NAME,
  desiredEndpointSlices,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
} from './desired-slices.js';
