/** The pod's managed hosts file, in the kubelet's format (managedHostsHeader and entries). */
export function etcHostsContent(podIps: readonly string[], hostname: string, subdomainFqdn?: string): string {
  let text = '# Kubernetes-managed hosts file.\n';
  text += '127.0.0.1\tlocalhost\n';
  text += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  text += 'fe00::0\tip6-localnet\n';
  text += 'fe00::0\tip6-mcastprefix\n';
  text += 'fe00::1\tip6-allnodes\n';
  text += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIps) {
    text += subdomainFqdn ? `${ip}\t${subdomainFqdn}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  }
  return text;
}
