/** client-go's leader election gauge, in the Prometheus text format, for a component's /metrics. */
export function leaderElectionMetric(leaseName: string, leading: boolean): string {
  return [
    '# HELP leader_election_master_status Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
    '# TYPE leader_election_master_status gauge',
    `leader_election_master_status{name="${leaseName}"} ${leading ? 1 : 0}`,
    '',
  ].join('\n');
}
