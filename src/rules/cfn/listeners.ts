/**
 * The listeners of load balancers in view: a v2 `Listener` resource (its `Port` and `Protocol`) or
 * a classic load balancer's `Listeners` list. A security group that only a load balancer uses
 * exposes nothing but these, so what they serve says how far a wide ingress rule really reaches.
 * The templates beside a file (its folder) are read only when a check asks, once each.
 */
import type { SourceFile } from '../../types.js'
import type { Node } from '../parse/yaml.js'
import { readTemplate, type Resource, type Template } from './template.js'
import { certainValue } from './values.js'
import { folderOf } from '../../util/paths.js'

export interface Listener {
  /** The listener resource, or the classic load balancer that lists it. */
  id: string
  path: string
  port?: number
  protocol?: string
}

const WEB_PORTS = new Set([80, 443])

/** A listener that serves only web traffic: port 80 or 443, or an HTTP/HTTPS listener (an ALB's only kinds). */
export const servesWeb = (l: Listener): boolean => (l.port !== undefined && WEB_PORTS.has(l.port)) || l.protocol === 'HTTP' || l.protocol === 'HTTPS'

/** The listeners a template declares; `belongs` keeps those of one load balancer (given the listener's `LoadBalancerArn`, or the classic load balancer). */
export function listenersOf(template: Template, path: string, belongs: (r: Resource, loadBalancerArn: Node | undefined) => boolean = () => true): Listener[] {
  const v = template.view
  const read = (id: string, port: Node | undefined, protocol: Node | undefined): Listener => {
    const p = certainValue(template, port)?.value.trim()
    const proto = certainValue(template, protocol)?.value.trim().toUpperCase()
    return { id, path, ...(p !== undefined && /^\d+$/.test(p) ? { port: Number(p) } : {}), ...(proto ? { protocol: proto } : {}) }
  }
  const out: Listener[] = []
  for (const r of template.resources) {
    if (r.type === 'AWS::ElasticLoadBalancingV2::Listener' && belongs(r, v.get(r.properties, 'LoadBalancerArn'))) {
      out.push(read(r.logicalId, v.get(r.properties, 'Port'), v.get(r.properties, 'Protocol')))
    } else if (r.type === 'AWS::ElasticLoadBalancing::LoadBalancer' && belongs(r, undefined)) {
      for (const l of v.items(v.get(r.properties, 'Listeners'))) out.push(read(r.logicalId, v.get(l, 'LoadBalancerPort'), v.get(l, 'Protocol')))
    }
  }
  return out
}


/** The CloudFormation templates of the analysed list by folder; each folder's read for its listeners at most once. */
export class FolderTemplates {
  private readonly byFolder = new Map<string, SourceFile[]>()
  private readonly read = new Map<string, readonly Listener[]>()

  constructor(files: readonly SourceFile[]) {
    for (const f of files) {
      if (f.kind !== 'cloudformation') continue
      const folder = folderOf(f.path)
      const list = this.byFolder.get(folder)
      if (list) list.push(f)
      else this.byFolder.set(folder, [f])
    }
  }

  /**
   * Every listener the templates of `path`'s folder declare, its own included (a template that
   * cannot be read gives none): the same list for every file of the folder, read once.
   */
  listenersInFolder(path: string): readonly Listener[] {
    const folder = folderOf(path)
    let known = this.read.get(folder)
    if (known === undefined) {
      known = (this.byFolder.get(folder) ?? []).flatMap((f) => {
        let template: Template | undefined
        try {
          template = readTemplate(f.content)
        } catch {
          template = undefined
        }
        return template ? listenersOf(template, f.path) : []
      })
      this.read.set(folder, known)
    }
    return known
  }
}
