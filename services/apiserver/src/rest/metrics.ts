/**
 * Prometheus metrics of the REST API, named as kube-apiserver names them so existing
 * dashboards and queries fit: apiserver_request_total{verb,group,version,resource,code} and
 * apiserver_request_duration_seconds (a histogram by verb and resource).
 */
import { processMetrics } from '@tkube/process';

const DURATION_BUCKETS_SECONDS = [0.005, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface RequestLabels {
  /** kube's verb: get, list, watch, create, update, patch, delete, deletecollection, or the HTTP method elsewhere. */
  verb: string;
  group: string;
  version: string;
  resource: string;
  code: number;
}

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

export class RequestMetrics {
  private readonly totals = new Map<string, number>();
  private readonly durations = new Map<string, Histogram>();

  observe(labels: RequestLabels, seconds: number): void {
    const total = labelText({ ...labels, code: String(labels.code) });
    this.totals.set(total, (this.totals.get(total) ?? 0) + 1);
    const key = labelText({
      verb: labels.verb,
      group: labels.group,
      version: labels.version,
      resource: labels.resource,
    });
    let histogram = this.durations.get(key);
    if (!histogram) {
      histogram = { buckets: DURATION_BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(key, histogram);
    }
    DURATION_BUCKETS_SECONDS.forEach((bound, i) => {
      if (seconds <= bound) histogram.buckets[i]++;
    });
    histogram.sum += seconds;
    histogram.count++;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const lines = [
      '# HELP apiserver_request_total Counter of apiserver requests broken out by verb, resource and HTTP response code.',
      '# TYPE apiserver_request_total counter',
    ];
    for (const [labels, value] of this.totals) lines.push(`apiserver_request_total{${labels}} ${value}`);
    lines.push(
      '# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb and resource.',
      '# TYPE apiserver_request_duration_seconds histogram',
    );
    for (const [labels, h] of this.durations) {
      DURATION_BUCKETS_SECONDS.forEach((bound, i) => {
        lines.push(`apiserver_request_duration_seconds_bucket{${labels},le="${bound}"} ${h.buckets[i]}`);
      });
      lines.push(`apiserver_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      lines.push(`apiserver_request_duration_seconds_sum{${labels}} ${h.sum}`);
      lines.push(`apiserver_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    return `${lines.join('\n')}\n${processMetrics()}`;
  }
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

/** kube's verb for a request on a resource path. */
export function requestVerb(method: string, hasName: boolean, query: URLSearchParams, legacyWatch: boolean): string {
  const watching = legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watching) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
