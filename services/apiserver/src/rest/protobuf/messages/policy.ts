/** k8s.io/api/policy/v1 messages: the Eviction that `kubectl drain` sends. */
import { type MessageTable, message } from '../message-spec.js';
import { meta, policy } from './names.js';

export const POLICY_MESSAGES: MessageTable = {
  [policy('Eviction')]: {
    1: message('metadata', meta('ObjectMeta')),
    2: message('deleteOptions', meta('DeleteOptions')),
  },
};
