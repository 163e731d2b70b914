/**
 * @tkube/process: what every tkube process shares: its command line's parsing and checks,
 * its life (logger, start, signals, a stop with a cut-off), serving gRPC on TCP or a unix
 * socket, the /healthz, /readyz and /metrics endpoints, and IPv4/CIDR arithmetic for pod networks.
 */

export type { FlagValues, ParsedFlags } from './flags.js';
export {
  commaList,
  durationMs,
  FlagError,
  grpcAddress,
  healthzAddress,
  integerIn,
  ipAddress,
  logLevel,
  nonEmpty,
  parseCommandLine,
  trueOrFalse,
} from './flags.js';
export type { ServeGrpcOptions, ServingGrpc } from './grpc-serve.js';
export { DEFAULT_GRACE_MS, serveGrpc } from './grpc-serve.js';
export type { HealthCheck, HealthLogger, HealthServerOptions, ServingHealth } from './health-server.js';
export {
  HEALTHZ_FLAG,
  METRICS_CONTENT_TYPE,
  processMetrics,
  serveHealth,
  startHealthServer,
  writeHealth,
} from './health-server.js';
export type { Ipv4Cidr, ParseCidrOptions } from './ipv4.js';
export {
  addressInCidr,
  broadcastOf,
  contains,
  formatCidr,
  formatIpv4,
  gatewayOf,
  isWithin,
  parseCidr,
  parseIpv4,
} from './ipv4.js';
export type { LogLevel } from './log-level.js';
export { LOG_LEVELS } from './log-level.js';
export type { MainProgram, ProcessHost, Stoppable, StopSignal } from './run-main.js';
export {
  DEFAULT_STOP_DEADLINE_MS,
  EXIT_BAD_FLAGS,
  EXIT_FAILED,
  EXIT_OK,
  runMain,
  runProgram,
} from './run-main.js';
export { firstToken, readFirstToken } from './token-file.js';
export { prepareSocketPath, removeSocketFile, unixSocketPathOf } from './unix-socket.js';
