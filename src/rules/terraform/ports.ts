/**
 * Well-known ports and the services that usually listen on them, shared by the Terraform and
 * CloudFormation "port open to the internet" rules. Databases, caches, search engines, queues and
 * container control planes hold data or run code: exposing one to the internet is a high finding.
 */

/** Ports whose exposure to the internet is a data or control-plane risk, with the likely service. */
export const DATA_PORTS: ReadonlyMap<number, string> = new Map([
  [21, 'FTP'],
  [23, 'Telnet'],
  [25, 'SMTP'],
  [135, 'MS RPC'],
  [137, 'NetBIOS'],
  [139, 'NetBIOS'],
  [445, 'SMB'],
  [389, 'LDAP'],
  [636, 'LDAPS'],
  [1433, 'SQL Server'],
  [1434, 'SQL Server browser'],
  [1521, 'Oracle'],
  [2049, 'NFS'],
  [2375, 'Docker API'],
  [2376, 'Docker API (TLS)'],
  [2379, 'etcd'],
  [2380, 'etcd peer'],
  [3306, 'MySQL'],
  [5432, 'PostgreSQL'],
  [5601, 'Kibana'],
  [5672, 'RabbitMQ'],
  [5984, 'CouchDB'],
  [5985, 'WinRM'],
  [5986, 'WinRM (TLS)'],
  [6379, 'Redis'],
  [6443, 'Kubernetes API'],
  [7000, 'Cassandra'],
  [7001, 'Cassandra (TLS)'],
  [8086, 'InfluxDB'],
  [8500, 'Consul'],
  [9042, 'Cassandra'],
  [9092, 'Kafka'],
  [9200, 'Elasticsearch'],
  [9300, 'Elasticsearch transport'],
  [10250, 'kubelet'],
  [11211, 'Memcached'],
  [15672, 'RabbitMQ management'],
  [27017, 'MongoDB'],
  [27018, 'MongoDB'],
  [28015, 'RethinkDB'],
  [50070, 'Hadoop NameNode']
])

/** Reported by their own rules (SSH, RDP) or meant to be public (HTTP, HTTPS). */
const HANDLED_ELSEWHERE = new Set([22, 3389, 80, 443])

/** Ranges narrower than this that cover a data port are taken as opening that service. */
const NARROW_RANGE = 16

export type PortVerdict =
  | { kind: 'data'; ports: { port: number; service: string }[] }
  | { kind: 'other'; from: number; to: number }
  | undefined

/**
 * What an internet-facing rule for ports `from..to` exposes beyond SSH, RDP and web ports: the
 * data/control-plane services in the range (high), else any other port (medium), else nothing.
 * Ranges spanning every port are the "all ports" rule's business.
 */
export function judgePorts(from: number, to: number): PortVerdict {
  if (from > to) return undefined
  const data = [...DATA_PORTS].filter(([p]) => from <= p && p <= to).map(([port, service]) => ({ port, service }))
  // A wide range (80-443, 1024-65535) is sloppy rather than aimed at a service: medium, not high.
  if (data.length && to - from < NARROW_RANGE) return { kind: 'data', ports: data }
  if (data.length) return { kind: 'other', from, to }
  for (let p = from; p <= to; p++) {
    if (!HANDLED_ELSEWHERE.has(p)) return { kind: 'other', from, to }
    if (p - from > 4) break
  }
  return to - from > 4 ? { kind: 'other', from, to } : undefined
}

export function describePorts(v: PortVerdict): string {
  if (!v) return ''
  if (v.kind === 'data') {
    const shown = v.ports.slice(0, 4).map((p) => `${p.port} (${p.service})`)
    return `port${v.ports.length > 1 ? 's' : ''} ${shown.join(', ')}${v.ports.length > 4 ? ` and ${v.ports.length - 4} more` : ''}`
  }
  return v.from === v.to ? `port ${v.from}` : `ports ${v.from}-${v.to}`
}

/**
 * The whole internet: `0.0.0.0/0`, or the all-zero IPv6 address with prefix 0 however it is
 * spelled (`::/0`, `0:0:0:0:0:0:0:0/0`, `0000:…:0000/0`).
 */
export function isOpenCidr(cidr: string): boolean {
  const c = cidr.trim()
  if (c === '0.0.0.0/0') return true
  const v6 = /^([0-9a-fA-F:]+)\/0$/.exec(c)
  return v6 !== null && v6[1].includes(':') && /^[0:]+$/.test(v6[1]) && v6[1].split(':').length <= 8
}

/** The port a database engine listens on unless told otherwise (RDS `aurora-postgresql` → 5432); undefined when unknown. */
export function rdsEnginePort(engine: string): number | undefined {
  const e = engine.trim().toLowerCase()
  if (/^(aurora|aurora-mysql|mysql|mariadb)$/.test(e)) return 3306
  if (/^(aurora-postgresql|postgres)$/.test(e)) return 5432
  if (e.startsWith('oracle-')) return 1521
  if (e.startsWith('sqlserver-')) return 1433
  return undefined
}

/** The port of an RDS proxy, fixed by its engine family (`MYSQL`, `POSTGRESQL`, `SQLSERVER`). */
export const proxyEnginePort = (family: string): number | undefined => ({ mysql: 3306, postgresql: 5432, sqlserver: 1433 })[family.trim().toLowerCase()]

/** The default port of an ElastiCache or MemoryDB engine. */
export const cacheEnginePort = (engine: string): number | undefined => ({ redis: 6379, valkey: 6379, memcached: 11211 })[engine.trim().toLowerCase()]
