// One measured pass in a fresh process, printed as JSON on stdout:
//   node scripts/bench/inproc.mjs scan|floor|secrets|read <tree>
//   node scripts/bench/inproc.mjs adversarial <KB>
// scan:    readTree + analyzeFiles (every rule and the secret scan), as `preflight scan` does.
// floor:   readTree + the project context every scan builds (buildManifestSets: each Kubernetes
//          manifest parsed and indexed by folder; buildTerraformProjects: each Terraform module
//          file parsed and its values resolved) + parsing every other file with the parser its
//          analyzer uses (yaml's parseAllDocuments through src/rules/parse/yaml.ts, dockerfile-ast,
//          tree-sitter HCL), single-threaded and nothing else: the least any scan has to do.
// ratio:   floor and scan in one process, taking turns <N> times (default 7), each the best
//          wall and the best CPU time (process.cpuUsage) of its passes: the ratio a loaded machine
//          disturbs least. Usage: inproc.mjs ratio <tree> [N].
// secrets: readTree + scanSecrets on every file (secretlint preset + Preflight's own rules).
// read:    readTree against a plain synchronous read of the same files as text (readdirSync +
//          readFileSync utf8), each the best of seven alternating passes over a warm file cache.
// adversarial: analyzeFile on each case of scripts/bench/adversarial.mjs at <KB> kilobytes.
// Module loading (esbuild of src/ and wasm start-up) happens before the clock starts in all three.
import { loadSrc } from '../lib/load-src.mjs'

const [mode, tree] = process.argv.slice(2)
if (!['scan', 'floor', 'ratio', 'secrets', 'read', 'adversarial'].includes(mode) || !tree) {
  console.error('usage: node scripts/bench/inproc.mjs scan|floor|secrets|read <tree> | ratio <tree> [N] | adversarial <KB>')
  process.exitCode = 2
} else if (mode === 'read') {
  const { readTree } = await loadSrc({ readTree: 'src/changes/tree.ts' })
  const { readdirSync, readFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const plain = (dir) => {
    let bytes = 0
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) bytes += plain(join(dir, e.name))
      else if (e.isFile()) bytes += readFileSync(join(dir, e.name), 'utf8').length
    }
    return bytes
  }
  // Best of seven passes each, the two taking turns so a change in machine load hits both alike.
  let syncMs = Infinity
  let readTreeMs = Infinity
  for (let i = 0; i < 7; i++) {
    let t0 = performance.now()
    plain(tree)
    syncMs = Math.min(syncMs, performance.now() - t0)
    t0 = performance.now()
    await readTree(tree)
    readTreeMs = Math.min(readTreeMs, performance.now() - t0)
  }
  process.stdout.write(JSON.stringify({ mode, syncMs, readTreeMs, ratio: readTreeMs / syncMs }) + '\n')
} else if (mode === 'adversarial') {
  const { analyzeFile } = await loadSrc({ analyzeFile: 'src/rules/index.ts' })
  const { ADVERSARIAL } = await import('./adversarial.mjs')
  const kb = Number(tree)
  await analyzeFile({ path: 'warm.tf', kind: 'terraform', content: 'resource "a" "b" {}\n' })
  const cases = []
  for (const [family, byName] of Object.entries(ADVERSARIAL)) {
    for (const [name, make] of Object.entries(byName)) {
      const file = make(kb * 1024)
      await analyzeFile(make(4096))
      const t0 = performance.now()
      await analyzeFile(file)
      cases.push({ family, name, ms: performance.now() - t0 })
    }
  }
  process.stdout.write(JSON.stringify({ mode, kb, cases }) + '\n')
} else {
  const src = await loadSrc({
    readTree: 'src/changes/tree.ts',
    analyzeFiles: 'src/rules/index.ts',
    scanSecrets: 'src/rules/secrets.ts',
    buildManifestSets: 'src/rules/k8s/folder.ts',
    buildTerraformProjects: 'src/rules/terraform/project.ts',
    parseYaml: 'src/rules/parse/yaml.ts'
  })
  const { DockerfileParser } = await import('dockerfile-ast')
  const { Parser, Language } = await import('web-tree-sitter')
  const { createRequire } = await import('node:module')
  const { readFileSync } = await import('node:fs')
  const require = createRequire(import.meta.url)
  await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') })
  const hcl = await Language.load(new Uint8Array(readFileSync(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'))))
  const hclParser = new Parser()
  hclParser.setLanguage(hcl)
  const YAML_KINDS = new Set(['kubernetes', 'compose', 'workflow', 'cloudformation', 'helm'])

  /** The parse floor of one file: the parser for its kind, its result dropped. */
  const parseOnly = (file) => {
    if (file.kind === 'dockerfile') return DockerfileParser.parse(file.content)
    if (file.kind === 'terraform') {
      if (file.path.endsWith('.json')) return JSON.parse(file.content)
      const t = hclParser.parse(file.content)
      t?.delete()
      return t
    }
    if (YAML_KINDS.has(file.kind)) {
      try {
        return src.parseYaml(file.content)
      } catch {
        return undefined
      }
    }
    return undefined
  }

  // Warm the lazily loaded parts (secretlint preset, HCL language) on a throwaway file so each
  // mode measures steady work, the same way for all three.
  await src.analyzeFiles([{ path: 'warm.tf', kind: 'terraform', content: 'resource "a" "b" {}\n' }])

  /** readTree plus the context every scan builds plus a parse of every other file. */
  const floorPass = async () => {
    const read = await src.readTree(tree)
    // The context, as analyzeGroupFiles builds it (each manifest and module file parsed there),
    // then every file the context did not parse.
    const manifests = src.buildManifestSets(read.files)
    const projects = await src.buildTerraformProjects(read.files)
    const inProject = new Set([...projects.values()].flatMap((p) => [...p.files.keys()]))
    for (const file of read.files) {
      if (file.kind === 'kubernetes' && manifests.parsed.has(file.path)) continue
      if (file.kind === 'terraform' && inProject.has(file.path)) continue
      parseOnly(file)
    }
    return { read }
  }
  /** readTree plus analyzeFiles on one thread, as the floor: the pool's gain is measured by the CLI rows. */
  const scanPass = async () => {
    const t0 = performance.now()
    const read = await src.readTree(tree)
    const readMs = performance.now() - t0
    const r = await src.analyzeFiles(read.files, { threads: 1 })
    return { read, r, readMs }
  }

  if (mode === 'ratio') {
    const runs = Number(process.argv[4] ?? 7)
    const best = { floor: { ms: Infinity, cpuMs: Infinity }, scan: { ms: Infinity, cpuMs: Infinity } }
    let files = 0
    for (let i = 0; i < runs; i++) {
      for (const [name, pass] of [['floor', floorPass], ['scan', scanPass]]) {
        const cpu0 = process.cpuUsage()
        const t0 = performance.now()
        const { read } = await pass()
        const ms = performance.now() - t0
        const cpu = process.cpuUsage(cpu0)
        files = read.files.length
        best[name].ms = Math.min(best[name].ms, ms)
        best[name].cpuMs = Math.min(best[name].cpuMs, (cpu.user + cpu.system) / 1000)
      }
    }
    const out = { mode, files, runs, floor: best.floor, scan: best.scan, ratio: best.scan.ms / best.floor.ms, cpuRatio: best.scan.cpuMs / best.floor.cpuMs }
    process.stdout.write(JSON.stringify(out) + '\n')
  } else {
    const started = performance.now()
    let read
    let readMs
    let findings = 0
    let secretFindings = []
    let notes = 0
    if (mode === 'scan') {
      const pass = await scanPass()
      read = pass.read
      readMs = pass.readMs
      findings = pass.r.findings.length
      notes += pass.r.notes.length
    } else if (mode === 'secrets') {
      read = await src.readTree(tree)
      for (const file of read.files) {
        const s = await src.scanSecrets({ ...file, content: file.content.replace(/\r\n?/g, '\n') })
        for (const f of s.findings) secretFindings.push({ path: f.path, line: f.line, ruleId: f.ruleId })
      }
      findings = secretFindings.length
    } else {
      read = (await floorPass()).read
    }
    notes += read.notes.length
    const ms = performance.now() - started
    const out = { mode, files: read.files.length, ms, readMs, findings, notes, maxRssMb: process.resourceUsage().maxRSS / 1024 }
    if (mode === 'secrets') out.secretFindings = secretFindings
    process.stdout.write(JSON.stringify(out) + '\n')
  }
}
