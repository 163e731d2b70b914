/**
 * pods/{name}/log's query (PodLogOptions): parsed and validated as kube-apiserver does,
 * then turned into the kubelet's /containerLogs query, which carries only what was set.
 */
import { fieldCause, StatusError } from '@tkube/api';
import { queryBool, queryInt64, queryTime } from './query-values.js';

export interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  sinceTime?: Date;
  tailLines?: number;
  limitBytes?: number;
}

/** Throws 400 for values that do not parse and 422 (PodLogOptions is invalid) for ones out of range. */
export function parseLogOptions(query: URLSearchParams, podName: string): PodLogOptions {
  const options: PodLogOptions = {
    follow: queryBool(query, 'follow') ?? false,
    previous: queryBool(query, 'previous') ?? false,
    timestamps: queryBool(query, 'timestamps') ?? false,
  };
  const container = query.get('container');
  if (container !== null && container !== '') options.container = container;
  const sinceSeconds = queryInt64(query, 'sinceSeconds');
  if (sinceSeconds !== undefined) options.sinceSeconds = sinceSeconds;
  const sinceTime = queryTime(query, 'sinceTime');
  if (sinceTime !== undefined) options.sinceTime = sinceTime;
  const tailLines = queryInt64(query, 'tailLines');
  if (tailLines !== undefined) options.tailLines = tailLines;
  const limitBytes = queryInt64(query, 'limitBytes');
  if (limitBytes !== undefined) options.limitBytes = limitBytes;
  validateLogOptions(options, podName);
  return options;
}

/** ValidatePodLogOptions, with its wording. */
function validateLogOptions(options: PodLogOptions, podName: string): void {
  const causes = [];
  if (options.tailLines !== undefined && options.tailLines < 0) {
    causes.push(
      fieldCause(
        'FieldValueInvalid',
        'tailLines',
        `Invalid value: ${options.tailLines}: must be greater than or equal to 0`,
      ),
    );
  }
  if (options.limitBytes !== undefined && options.limitBytes < 1) {
    causes.push(
      fieldCause('FieldValueInvalid', 'limitBytes', `Invalid value: ${options.limitBytes}: must be greater than 0`),
    );
  }
  if (options.sinceSeconds !== undefined && options.sinceTime !== undefined) {
    causes.push(
      fieldCause('FieldValueForbidden', '', 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified'),
    );
  } else if (options.sinceSeconds !== undefined && options.sinceSeconds < 1) {
    causes.push(
      fieldCause('FieldValueInvalid', 'sinceSeconds', `Invalid value: ${options.sinceSeconds}: must be greater than 0`),
    );
  }
  if (causes.length > 0) throw StatusError.invalid('PodLogOptions', podName, causes);
}

/** The kubelet's /containerLogs query: set options only, booleans as "true", times as RFC 3339. */
export function kubeletLogQuery(options: PodLogOptions): URLSearchParams {
  const params = new URLSearchParams();
  if (options.follow) params.set('follow', 'true');
  if (options.previous) params.set('previous', 'true');
  if (options.timestamps) params.set('timestamps', 'true');
  if (options.sinceSeconds !== undefined) params.set('sinceSeconds', String(options.sinceSeconds));
  if (options.sinceTime !== undefined) params.set('sinceTime', rfc3339Seconds(options.sinceTime));
  if (options.tailLines !== undefined) params.set('tailLines', String(options.tailLines));
  if (options.limitBytes !== undefined) params.set('limitBytes', String(options.limitBytes));
  // Go's url.Values.Encode sorts by key; the same order makes requests easy to compare in logs.
  params.sort();
  return params;
}

function rfc3339Seconds(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}
