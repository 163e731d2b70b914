/** What the transports share: the function that answers a message, and the log lines they write. */
import type { Transport } from '../responder/responder.js';

/** A DNS message in, the response out (undefined: send nothing). */
export type MessageHandler = (message: Buffer, transport: Transport) => Buffer | undefined;

/** The part of a pino logger the servers use. */
export interface ServerLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}
