export type { Authenticator } from './authentication.js';
export { bearerTokenAuthenticator } from './authentication.js';
export type { GrpcServerConfig, GrpcServiceOptions, RunningGrpcServer } from './grpc-server.js';
export { createGrpcService, startGrpcServer } from './grpc-server.js';
export type { BindingRegistry, RegistryLookup } from './types.js';
