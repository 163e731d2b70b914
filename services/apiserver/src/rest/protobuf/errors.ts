/** The 400s a protobuf body can earn; each tells the client how to get unstuck. */
import { StatusError } from '@tkube/api';

/** A field tkube's message table does not know: refused, never dropped (that would store half an object). */
export function unsupportedField(fieldNumber: number, messageName: string): StatusError {
  return StatusError.badRequest(
    `protobuf field ${fieldNumber} of ${messageName} is not supported by tkube; send JSON instead`,
  );
}

export function malformedBody(detail: string): StatusError {
  return StatusError.badRequest(`the protobuf body could not be decoded: ${detail}`);
}
