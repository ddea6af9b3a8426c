/**
 * A dated snapshot of public on-demand list prices, one region per cloud. Figures are US dollars
 * per unit as published; they are data, not code, so a new snapshot replaces this table only.
 *
 * Sources (on-demand, Linux / no licence, before any discount, tax or free tier):
 * - AWS public price list, us-east-1 (N. Virginia), snapshot taken 2026-11.
 * - Google Cloud pricing pages, us-central1 (Iowa), snapshot taken 2026-11.
 * - Azure retail prices, eastus, pay-as-you-go Linux, snapshot taken 2026-11.
 */
import { lookupTable } from '../util/lookup-table.js'

export const PRICE_SNAPSHOT = {
  date: '2026-11',
  aws: 'AWS public price list, on-demand, us-east-1, snapshot taken 2026-11',
  gcp: 'Google Cloud list prices, on-demand, us-central1, snapshot taken 2026-11',
  azure: 'Azure retail prices, pay-as-you-go Linux, eastus, snapshot taken 2026-11'
} as const

/** The billing month every hourly figure is multiplied by. */
export const HOURS_PER_MONTH = 730

type Sizes = Record<string, number>

/** Builds `family.size → $/hour` entries. */
function family(name: string, sizes: Sizes, prefix = ''): Record<string, number> {
  return Object.fromEntries(Object.entries(sizes).map(([size, price]) => [`${prefix}${name}.${size}`, price]))
}

/** EC2 Linux on-demand, $/instance-hour, us-east-1. */
export const EC2_HOURLY = lookupTable<number>({
  ...family('t2', { nano: 0.0058, micro: 0.0116, small: 0.023, medium: 0.0464, large: 0.0928, xlarge: 0.1856, '2xlarge': 0.3712 }),
  ...family('t3', { nano: 0.0052, micro: 0.0104, small: 0.0208, medium: 0.0416, large: 0.0832, xlarge: 0.1664, '2xlarge': 0.3328 }),
  ...family('t3a', { nano: 0.0047, micro: 0.0094, small: 0.0188, medium: 0.0376, large: 0.0752, xlarge: 0.1504, '2xlarge': 0.3008 }),
  ...family('t4g', { nano: 0.0042, micro: 0.0084, small: 0.0168, medium: 0.0336, large: 0.0672, xlarge: 0.1344, '2xlarge': 0.2688 }),
  ...family('m5', { large: 0.096, xlarge: 0.192, '2xlarge': 0.384, '4xlarge': 0.768, '8xlarge': 1.536, '12xlarge': 2.304, '16xlarge': 3.072, '24xlarge': 4.608 }),
  ...family('m5a', { large: 0.086, xlarge: 0.172, '2xlarge': 0.344, '4xlarge': 0.688, '8xlarge': 1.376, '12xlarge': 2.064, '16xlarge': 2.752, '24xlarge': 4.128 }),
  ...family('m6i', { large: 0.096, xlarge: 0.192, '2xlarge': 0.384, '4xlarge': 0.768, '8xlarge': 1.536, '12xlarge': 2.304, '16xlarge': 3.072, '24xlarge': 4.608, '32xlarge': 6.144 }),
  ...family('m6a', { large: 0.0864, xlarge: 0.1728, '2xlarge': 0.3456, '4xlarge': 0.6912, '8xlarge': 1.3824, '12xlarge': 2.0736, '16xlarge': 2.7648, '24xlarge': 4.1472, '32xlarge': 5.5296, '48xlarge': 8.2944 }),
  ...family('m6g', { medium: 0.0385, large: 0.077, xlarge: 0.154, '2xlarge': 0.308, '4xlarge': 0.616, '8xlarge': 1.232, '12xlarge': 1.848, '16xlarge': 2.464 }),
  ...family('m7i', { large: 0.1008, xlarge: 0.2016, '2xlarge': 0.4032, '4xlarge': 0.8064, '8xlarge': 1.6128, '12xlarge': 2.4192, '16xlarge': 3.2256, '24xlarge': 4.8384, '48xlarge': 9.6768 }),
  ...family('m7g', { medium: 0.0408, large: 0.0816, xlarge: 0.1632, '2xlarge': 0.3264, '4xlarge': 0.6528, '8xlarge': 1.3056, '12xlarge': 1.9584, '16xlarge': 2.6112 }),
  ...family('c5', { large: 0.085, xlarge: 0.17, '2xlarge': 0.34, '4xlarge': 0.68, '9xlarge': 1.53, '12xlarge': 2.04, '18xlarge': 3.06, '24xlarge': 4.08 }),
  ...family('c6i', { large: 0.085, xlarge: 0.17, '2xlarge': 0.34, '4xlarge': 0.68, '8xlarge': 1.36, '12xlarge': 2.04, '16xlarge': 2.72, '24xlarge': 4.08, '32xlarge': 5.44 }),
  ...family('c6g', { medium: 0.034, large: 0.068, xlarge: 0.136, '2xlarge': 0.272, '4xlarge': 0.544, '8xlarge': 1.088, '12xlarge': 1.632, '16xlarge': 2.176 }),
  ...family('c7g', { medium: 0.0363, large: 0.0725, xlarge: 0.145, '2xlarge': 0.29, '4xlarge': 0.58, '8xlarge': 1.16, '12xlarge': 1.74, '16xlarge': 2.32 }),
  ...family('r5', { large: 0.126, xlarge: 0.252, '2xlarge': 0.504, '4xlarge': 1.008, '8xlarge': 2.016, '12xlarge': 3.024, '16xlarge': 4.032, '24xlarge': 6.048 }),
  ...family('r6i', { large: 0.126, xlarge: 0.252, '2xlarge': 0.504, '4xlarge': 1.008, '8xlarge': 2.016, '12xlarge': 3.024, '16xlarge': 4.032, '24xlarge': 6.048, '32xlarge': 8.064 }),
  ...family('r6g', { medium: 0.0504, large: 0.1008, xlarge: 0.2016, '2xlarge': 0.4032, '4xlarge': 0.8064, '8xlarge': 1.6128, '12xlarge': 2.4192, '16xlarge': 3.2256 }),
  ...family('r7g', { medium: 0.0536, large: 0.1071, xlarge: 0.2142, '2xlarge': 0.4284, '4xlarge': 0.8568, '8xlarge': 1.7136, '12xlarge': 2.5704, '16xlarge': 3.4272 }),
  ...family('i3', { large: 0.156, xlarge: 0.312, '2xlarge': 0.624, '4xlarge': 1.248, '8xlarge': 2.496, '16xlarge': 4.992 }),
  ...family('x1', { '16xlarge': 6.669, '32xlarge': 13.338 }),
  ...family('x1e', { xlarge: 0.834, '2xlarge': 1.668, '4xlarge': 3.336, '8xlarge': 6.672, '16xlarge': 13.344, '32xlarge': 26.688 }),
  ...family('p3', { '2xlarge': 3.06, '8xlarge': 12.24, '16xlarge': 24.48 }),
  ...family('g4dn', { xlarge: 0.526, '2xlarge': 0.752, '4xlarge': 1.204, '8xlarge': 2.176, '12xlarge': 3.912, '16xlarge': 4.352 }),
  ...family('g5', { xlarge: 1.006, '2xlarge': 1.212, '4xlarge': 1.624, '8xlarge': 2.448, '12xlarge': 5.672, '16xlarge': 4.096, '24xlarge': 8.144, '48xlarge': 16.288 })
})

/** RDS for MySQL single-AZ on-demand, $/instance-hour, us-east-1. Multi-AZ is twice this. */
export const RDS_MYSQL_HOURLY = lookupTable<number>({
  ...family('t3', { micro: 0.017, small: 0.034, medium: 0.068, large: 0.136, xlarge: 0.272, '2xlarge': 0.544 }, 'db.'),
  ...family('t4g', { micro: 0.016, small: 0.032, medium: 0.065, large: 0.129, xlarge: 0.258, '2xlarge': 0.517 }, 'db.'),
  ...family('m5', { large: 0.171, xlarge: 0.342, '2xlarge': 0.684, '4xlarge': 1.368, '8xlarge': 2.736, '12xlarge': 4.104, '16xlarge': 5.472, '24xlarge': 8.208 }, 'db.'),
  ...family('m6g', { large: 0.152, xlarge: 0.304, '2xlarge': 0.608, '4xlarge': 1.216, '8xlarge': 2.432, '12xlarge': 3.648, '16xlarge': 4.864 }, 'db.'),
  ...family('r5', { large: 0.24, xlarge: 0.48, '2xlarge': 0.96, '4xlarge': 1.92, '8xlarge': 3.84, '12xlarge': 5.76, '16xlarge': 7.68, '24xlarge': 11.52 }, 'db.'),
  ...family('r6g', { large: 0.215, xlarge: 0.43, '2xlarge': 0.86, '4xlarge': 1.72, '8xlarge': 3.44, '12xlarge': 5.16, '16xlarge': 6.88 }, 'db.')
})

/** RDS for PostgreSQL single-AZ on-demand, $/instance-hour, us-east-1. */
export const RDS_POSTGRES_HOURLY = lookupTable<number>({
  ...family('t3', { micro: 0.018, small: 0.036, medium: 0.072, large: 0.145, xlarge: 0.29, '2xlarge': 0.579 }, 'db.'),
  ...family('t4g', { micro: 0.016, small: 0.032, medium: 0.065, large: 0.129, xlarge: 0.258, '2xlarge': 0.517 }, 'db.'),
  ...family('m5', { large: 0.178, xlarge: 0.356, '2xlarge': 0.712, '4xlarge': 1.424, '8xlarge': 2.848, '12xlarge': 4.272, '16xlarge': 5.696, '24xlarge': 8.544 }, 'db.'),
  ...family('m6g', { large: 0.159, xlarge: 0.318, '2xlarge': 0.636, '4xlarge': 1.272, '8xlarge': 2.544, '12xlarge': 3.816, '16xlarge': 5.088 }, 'db.'),
  ...family('r5', { large: 0.25, xlarge: 0.5, '2xlarge': 1.0, '4xlarge': 2.0, '8xlarge': 4.0, '12xlarge': 6.0, '16xlarge': 8.0, '24xlarge': 12.0 }, 'db.'),
  ...family('r6g', { large: 0.225, xlarge: 0.45, '2xlarge': 0.899, '4xlarge': 1.798, '8xlarge': 3.597, '12xlarge': 5.395, '16xlarge': 7.194 }, 'db.')
})

/** RDS storage, $/GB-month (single-AZ; Multi-AZ doubles it). */
export const RDS_STORAGE_GB_MONTH = lookupTable<number>({ gp2: 0.115, gp3: 0.115, io1: 0.125, io2: 0.125, standard: 0.1 })

/** ElastiCache (Redis OSS / Memcached) on-demand, $/node-hour, us-east-1. */
export const ELASTICACHE_HOURLY = lookupTable<number>({
  ...family('t3', { micro: 0.017, small: 0.034, medium: 0.068 }, 'cache.'),
  ...family('t4g', { micro: 0.016, small: 0.032, medium: 0.065 }, 'cache.'),
  ...family('m5', { large: 0.156, xlarge: 0.311, '2xlarge': 0.623, '4xlarge': 1.245, '12xlarge': 3.744, '24xlarge': 7.488 }, 'cache.'),
  ...family('m6g', { large: 0.149, xlarge: 0.298, '2xlarge': 0.596, '4xlarge': 1.192, '8xlarge': 2.384, '12xlarge': 3.576, '16xlarge': 4.768 }, 'cache.'),
  ...family('r5', { large: 0.216, xlarge: 0.431, '2xlarge': 0.862, '4xlarge': 1.724, '12xlarge': 5.174, '24xlarge': 10.348 }, 'cache.'),
  ...family('r6g', { large: 0.206, xlarge: 0.411, '2xlarge': 0.822, '4xlarge': 1.644, '8xlarge': 3.288, '12xlarge': 4.932, '16xlarge': 6.576 }, 'cache.')
})

/** EBS volumes, us-east-1. */
export const EBS = {
  /** $/GB-month by volume type. */
  gbMonth: lookupTable<number>({ gp2: 0.1, gp3: 0.08, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 }),
  /** gp3: IOPS above the 3,000 baseline, $/IOPS-month. */
  gp3IopsMonth: 0.005,
  gp3FreeIops: 3000,
  /** gp3: throughput above the 125 MB/s baseline, $/(MB/s)-month. */
  gp3ThroughputMonth: 0.04,
  gp3FreeThroughput: 125,
  /** io1 / io2 (first tier) provisioned IOPS, $/IOPS-month. */
  piopsMonth: 0.065
} as const

export const NAT_GATEWAY = { hourly: 0.045, perGbProcessed: 0.045 } as const

/** Load balancers, $/hour; capacity units (LCU/NLCU) are usage-based and not estimated. */
export const LOAD_BALANCER_HOURLY = { application: 0.0225, network: 0.0225, gateway: 0.0125, classic: 0.025 } as const
export const LOAD_BALANCER_UNITS = { albLcuHour: 0.008, nlbNlcuHour: 0.006 } as const

export const CLOUDWATCH_LOGS = { ingestionPerGb: 0.5, storageGbMonth: 0.03 } as const

/** S3 storage, $/GB-month, first 50 TB tier. */
export const S3_GB_MONTH = lookupTable<number>({
  STANDARD: 0.023,
  INTELLIGENT_TIERING: 0.023,
  STANDARD_IA: 0.0125,
  ONEZONE_IA: 0.01,
  GLACIER_IR: 0.004,
  GLACIER: 0.0036,
  DEEP_ARCHIVE: 0.00099
})

/** Lambda (x86), provisioned concurrency kept warm, $/GB-second. */
export const LAMBDA = { provisionedGbSecond: 0.0000041667, provisionedDurationGbSecond: 0.0000097222 } as const

/** Fargate Linux/x86, used to price Kubernetes resource requests as capacity. */
export const FARGATE = { vcpuHour: 0.04048, gbHour: 0.004445 } as const

/** Compute Engine on-demand, $/hour, us-central1. */
export const GCE_HOURLY = lookupTable<number>({
  'e2-micro': 0.00838,
  'e2-small': 0.016751,
  'e2-medium': 0.033503,
  'e2-standard-2': 0.067006,
  'e2-standard-4': 0.134012,
  'e2-standard-8': 0.268024,
  'e2-standard-16': 0.536048,
  'e2-standard-32': 1.072096,
  'n1-standard-1': 0.0475,
  'n1-standard-2': 0.095,
  'n1-standard-4': 0.19,
  'n1-standard-8': 0.38,
  'n2-standard-2': 0.097118,
  'n2-standard-4': 0.194236,
  'n2-standard-8': 0.388472,
  'n2-standard-16': 0.776944,
  'n2-standard-32': 1.553888
})

/** Cloud SQL (Enterprise edition), us-central1. */
export const CLOUD_SQL = {
  shared: lookupTable<number>({ 'db-f1-micro': 0.0105, 'db-g1-small': 0.035 }),
  vcpuHour: 0.0413,
  gbHour: 0.007
} as const

/** Cloud Run idle minimum instances (request-based billing), us-central1. */
export const CLOUD_RUN_IDLE = { vcpuSecond: 0.0000025, gibSecond: 0.0000025 } as const

/** Azure virtual machines, Linux pay-as-you-go, $/hour, eastus. */
export const AZURE_VM_HOURLY = lookupTable<number>({
  Standard_B1s: 0.0104,
  Standard_B2s: 0.0416,
  Standard_B2ms: 0.0832,
  Standard_D2s_v3: 0.096,
  Standard_D4s_v3: 0.192,
  Standard_D8s_v3: 0.384,
  Standard_D2s_v5: 0.096,
  Standard_D4s_v5: 0.192,
  Standard_D8s_v5: 0.384
})
