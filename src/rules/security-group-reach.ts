/**
 * How far an ingress rule open to the internet reaches, from what its security group guards.
 * Shared by the CloudFormation and Terraform rules (`cfn/guarded.ts`, `terraform/guarded.ts`),
 * which find the uses of a group in their own syntax. A rule reaches only what listens behind
 * the group: nothing behind a Lambda function (it has no listener), only the VPC and its peers
 * behind a data store with no public endpoint, and only on the ports the stores listen on.
 */
import type { Severity } from '../types.js'
import { keyWords } from './secrets/keys.js'

/** One use of a group: `name` is already quoted for a message (`` `Worker` ``, `` `aws_lambda_function.worker` ``). */
export type GroupUse =
  | {
      kind: 'function'
      name: string
      /** What precedes the name; '' when the name says it all (every function of SAM `Globals`). */
      what?: string
    }
  | { kind: 'store'; what: string; name: string; private: boolean; ports: number[] | undefined }
  | { kind: 'other' }

/** A severity below the rule's and why, as a short clause for the message. */
export interface Reach {
  severity: Severity
  why: string
}

const STORE_WORDS = new Set(['db', 'database', 'rds', 'aurora', 'proxy', 'cache', 'redis', 'docdb', 'mongo', 'cluster', 'mysql', 'postgres', 'neptune'])

/** A group's names call it a Lambda function's (`lambdaSg`) and name no data store (`LambdaToRdsSg` is not one). */
export function namedForFunctions(names: string[]): boolean {
  const split = names.map(keyWords)
  return split.some((w) => w.includes('lambda')) && !split.some((w) => w.some((x) => STORE_WORDS.has(x)))
}

const plural = (what: string): string => (what.endsWith('y') ? `${what.slice(0, -1)}ies` : `${what}s`)
const joined = (items: string[]): string => (items.length <= 3 ? items.join(items.length === 2 ? ' and ' : ', ').replace(/, ([^,]*)$/, ' and $1') : `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`)

/** "DocumentDB cluster `Docs`", "EFS mount targets `A` and `B`": uses of one kind named together. */
function describe(items: { what: string; name: string }[]): string {
  const kinds = [...new Set(items.map((i) => i.what))]
  return joined(
    kinds.map((what) => {
      const names = items.filter((i) => i.what === what).map((i) => i.name)
      return what ? `${names.length > 1 ? plural(what) : what} ${joined(names)}` : joined(names)
    })
  )
}

/**
 * The reach of an internet-open rule for ports `from..to` (no range: every port), or undefined
 * when it reaches as far as its rule says:
 * - low when every use is a Lambda function's, or there is none and `namedForFunction`;
 * - low when every use is a data store (or a function) and the stores listen on known ports the rule misses;
 * - medium when every use is a data store with no public endpoint (or a function).
 * Any other use, or none visible, keeps the rule's severity.
 */
export function reachOf(uses: GroupUse[], range: { from: number; to: number } | undefined, namedForFunction: boolean): Reach | undefined {
  if (uses.length === 0) return namedForFunction ? { severity: 'low', why: "by its name, a Lambda function's security group: a function has no listener, so the rule reaches nothing" } : undefined
  if (uses.some((u) => u.kind === 'other')) return undefined
  const functions = uses.flatMap((u) => (u.kind === 'function' ? [{ what: u.what ?? 'Lambda function', name: u.name }] : []))
  const stores = uses.flatMap((u) => (u.kind === 'store' ? [u] : []))
  if (stores.length === 0) return { severity: 'low', why: `attached only to ${describe(functions)}: a function has no listener, so the rule reaches nothing` }
  if (range && stores.every((s) => s.ports !== undefined) && !stores.some((s) => s.ports!.some((p) => range.from <= p && p <= range.to))) {
    const on = (s: (typeof stores)[number]): string => s.ports!.join(' or ')
    const why =
      stores.length === 1
        ? `the only data store it guards, ${describe(stores)}, listens on ${on(stores[0]!)}: nothing listens on the port opened`
        : `the data stores it guards listen on ${[...new Set(stores.flatMap((s) => s.ports!))].join(' or ')}: nothing listens on the port opened`
    return { severity: 'low', why }
  }
  if (stores.every((s) => s.private)) {
    const also = functions.length ? ' and Lambda functions (no listener)' : ''
    return { severity: 'medium', why: `attached only to ${describe(stores)}${also}, with no public endpoint: reachable only from inside the VPC and its peers` }
  }
  return undefined
}
