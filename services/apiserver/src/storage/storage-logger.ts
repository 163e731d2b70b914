/**
 * What the storage logs through: the subset of a pino logger it uses, so the apiserver
 * passes its own logger and tests pass nothing.
 */
export interface StorageLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: StorageLogger = {
  info() {},
  warn() {},
  error() {},
};
