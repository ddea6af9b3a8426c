/**
 * Rules for Dockerfiles. The file is parsed with dockerfile-ast and cut into build stages; rules
 * about the shipped image (user, healthcheck, command form, caches, exposed ports) look at the
 * final stage and the stages it is built `FROM`, while supply-chain and secret rules look at
 * every stage.
 */
import { DockerfileParser, type Instruction, type From, type Arg, type Env, type Run, type Flag } from 'dockerfile-ast'
import type { Finding, RuleMeta, SourceFile } from '../types.js'
import { ParseError } from './yaml.js'
import { splitShellCommands, invocationOf, positionals, type ShellCommand, type Invocation } from './shell-words.js'
import { parseImageRef, mutableImageReason, isSecretName, isLiteralSecretValue, type ImageRef } from './container-common.js'

type RuleSpec = Omit<RuleMeta, 'kind'>

function rule(spec: RuleSpec): RuleMeta {
  return { kind: 'dockerfile', ...spec }
}

const R = {
  baseImageLatest: rule({
    id: 'dockerfile/base-image-latest',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'medium',
    title: 'Base image uses :latest or no tag',
    description: 'A `FROM` image without a tag, or tagged `latest`, resolves to whatever was pushed last, so the same Dockerfile builds different images over time.',
    remediation: 'Pin the base image to an explicit version tag (and ideally a digest), e.g. `FROM node:20.11-alpine`.',
    refs: { kics: 'dockerfile/image_version_using_latest', hadolint: ['DL3007', 'DL3006'], checkov: 'CKV_DOCKER_7', trivy: 'AVD-DS-0001' }
  }),
  baseImageNoDigest: rule({
    id: 'dockerfile/base-image-no-digest',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'info',
    title: 'Base image not pinned by digest',
    description: 'Tags can be moved; only a digest names one exact image.',
    remediation: 'Append the digest of the tested image: `FROM image:tag@sha256:…` (a bot such as Renovate can keep it current).'
  }),
  aptUnpinned: rule({
    id: 'dockerfile/apt-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'apt-get install without version pins',
    description: 'Packages installed without `name=version` take whatever the mirror serves at build time.',
    remediation: 'Pin each package: `apt-get install -y curl=7.88.1-10+deb12u5`.',
    refs: { kics: 'dockerfile/apt_get_install_pin_version_not_defined', hadolint: 'DL3008' }
  }),
  apkUnpinned: rule({
    id: 'dockerfile/apk-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'apk add without version pins',
    description: 'Packages added without `name=version` take whatever the repository serves at build time.',
    remediation: 'Pin each package: `apk add --no-cache curl=8.5.0-r0`.',
    refs: { kics: 'dockerfile/unpinned_package_version_in_apk_add', hadolint: 'DL3018' }
  }),
  yumUnpinned: rule({
    id: 'dockerfile/yum-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'yum/dnf install without version pins',
    description: 'Packages installed without `name-version` take whatever the repository serves at build time.',
    remediation: 'Pin each package: `dnf install -y curl-7.76.1`.',
    refs: { kics: 'dockerfile/yum_install_without_version', hadolint: 'DL3033' }
  }),
  pipUnpinned: rule({
    id: 'dockerfile/pip-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'medium',
    title: 'pip install without == pins',
    description: 'Python packages named without an exact version resolve to the newest release at build time.',
    remediation: 'Pin with `package==1.2.3`, or install from a requirements file (ideally with `--require-hashes`).',
    refs: { kics: 'dockerfile/unpinned_package_version_in_pip_install', hadolint: 'DL3013' }
  }),
  npmUnpinned: rule({
    id: 'dockerfile/npm-unpinned',
    category: 'immutability',
    topics: ['immutable-artifacts', 'supply-chain'],
    severity: 'medium',
    title: 'npm install of packages without versions',
    description: 'Packages named without `@version` resolve to the newest release at build time.',
    remediation: 'Name an exact version (`npm install -g typescript@5.4.5`) or add the package to package.json and its lockfile.',
    refs: { kics: 'dockerfile/npm_install_without_pinned_version', hadolint: 'DL3016' }
  }),
  npmInstallNotCi: rule({
    id: 'dockerfile/npm-install-not-ci',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: '`npm install` instead of `npm ci`',
    description: '`npm install` may update the lockfile and pick newer versions; `npm ci` installs exactly what package-lock.json records and fails when it is out of date.',
    remediation: 'Copy package-lock.json into the image and run `npm ci` (with `--omit=dev` for production images).'
  }),
  packageUpgrade: rule({
    id: 'dockerfile/package-upgrade',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'Upgrade of all OS packages during the build',
    description: '`apt-get upgrade`, `apk upgrade` or `yum update` pulls whatever is newest at build time, so rebuilding the same commit gives a different image.',
    remediation: 'Move to a newer base image tag instead of upgrading in place, or pin the packages that need a fix.',
    refs: { hadolint: 'DL3005' }
  }),
  rootUser: rule({
    id: 'dockerfile/root-user',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'high',
    title: 'Final image runs as root',
    description: 'The last `USER` of the final stage is root, so a compromised process has root inside the container.',
    remediation: 'Create an unprivileged user and switch to it at the end: `USER app` (or a numeric uid such as `USER 10001`).',
    refs: { kics: 'dockerfile/last_user_is_root', hadolint: 'DL3002', checkov: 'CKV_DOCKER_8', trivy: 'AVD-DS-0002' }
  }),
  noUser: rule({
    id: 'dockerfile/no-user',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'Final stage sets no USER',
    description: 'Without a `USER` instruction the container runs as the base image user, which is root for most images.',
    remediation: 'Add `USER <non-root user>` after the last step that needs root.',
    refs: { kics: 'dockerfile/missing_user_instruction', checkov: 'CKV_DOCKER_3', trivy: 'AVD-DS-0002' }
  }),
  sudo: rule({
    id: 'dockerfile/sudo',
    category: 'security',
    topics: ['least-privilege'],
    severity: 'medium',
    title: 'sudo in RUN',
    description: 'Build steps already run as the current USER; `sudo` adds an unpredictable TTY/signal layer and suggests sudo is installed in the image.',
    remediation: 'Drop `sudo`; switch with `USER root` for the steps that need it and back to the unprivileged user afterwards.',
    refs: { kics: 'dockerfile/run_using_sudo', hadolint: 'DL3004', trivy: 'AVD-DS-0010' }
  }),
  addInsteadOfCopy: rule({
    id: 'dockerfile/add-instead-of-copy',
    category: 'security',
    topics: ['supply-chain'],
    severity: 'low',
    title: 'ADD used where COPY would do',
    description: '`ADD` also fetches URLs and unpacks archives; for plain local files that hidden behaviour is a surprise waiting to happen.',
    remediation: 'Use `COPY` for local files and directories.',
    refs: { kics: 'dockerfile/add_instead_of_copy', hadolint: 'DL3020', checkov: 'CKV_DOCKER_4', trivy: 'AVD-DS-0005' }
  }),
  addRemoteUrl: rule({
    id: 'dockerfile/add-remote-url',
    category: 'security',
    topics: ['supply-chain'],
    severity: 'medium',
    title: 'ADD downloads a URL without a checksum',
    description: '`ADD <url>` pulls remote content into the image with no integrity check, so a changed or compromised file is built in silently.',
    remediation: 'Add `--checksum=sha256:<digest>` to the ADD, or download with curl and verify the checksum in the same RUN.'
  }),
  curlPipeShell: rule({
    id: 'dockerfile/curl-pipe-shell',
    category: 'security',
    topics: ['supply-chain'],
    severity: 'high',
    title: 'Remote script piped into a shell',
    description: '`curl … | sh` runs whatever the server returns at build time, unverified.',
    remediation: 'Download the script to a file, verify its checksum or signature, then run it.'
  }),
  exposeSsh: rule({
    id: 'dockerfile/expose-ssh',
    category: 'security',
    topics: ['network-exposure'],
    severity: 'medium',
    title: 'EXPOSE 22',
    description: 'Exposing SSH suggests an SSH daemon in the container, which widens the attack surface; use `docker exec`/`kubectl exec` instead.',
    remediation: 'Remove port 22 from EXPOSE and do not run sshd in the image.',
    refs: { kics: 'dockerfile/exposing_port_22', checkov: 'CKV_DOCKER_1', trivy: 'AVD-DS-0004' }
  }),
  secretInEnv: rule({
    id: 'dockerfile/secret-in-env',
    category: 'secrets',
    topics: ['secret-storage', 'secret-exposure'],
    severity: 'high',
    title: 'Secret literal in ENV or ARG',
    description: 'ENV values are stored in the image config and ARG defaults in its history; anyone who can pull the image can read them.',
    remediation: 'Remove the literal; pass the secret at run time (orchestrator secret, env var) or at build time with `RUN --mount=type=secret`.',
    refs: { trivy: 'AVD-DS-0031' }
  }),
  noHealthcheck: rule({
    id: 'dockerfile/no-healthcheck',
    category: 'slo',
    topics: ['health-checks'],
    severity: 'low',
    title: 'No HEALTHCHECK in the final image',
    description: 'Without a healthcheck, Docker and Swarm cannot tell a hung container from a healthy one, so it is never restarted or taken out of rotation.',
    remediation: 'Add a `HEALTHCHECK CMD …` that probes the service (or `HEALTHCHECK NONE` when the orchestrator probes it instead).',
    refs: { kics: 'dockerfile/healthcheck_instruction_missing', checkov: 'CKV_DOCKER_2', trivy: 'AVD-DS-0026' }
  }),
  // Category slo: with a shell as PID 1, SIGTERM never reaches the application, so every stop
  // waits out the grace period and then kills the process mid-request (dropped requests and
  // slow rollouts on every deploy).
  shellFormCommand: rule({
    id: 'dockerfile/shell-form-command',
    category: 'slo',
    topics: ['rollout-strategy'],
    severity: 'low',
    title: 'CMD/ENTRYPOINT in shell form',
    description: 'In shell form `/bin/sh -c` is PID 1 and does not forward SIGTERM, so the application cannot shut down gracefully and is killed after the stop timeout.',
    remediation: 'Use the exec form, `CMD ["executable", "arg"]`, or start the command with `exec`.',
    refs: { hadolint: 'DL3025' }
  }),
  aptCache: rule({
    id: 'dockerfile/apt-lists-not-deleted',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'apt lists left in the image',
    description: 'apt package lists that are not removed in the same RUN stay in the layer and grow every image pull and push.',
    remediation: 'End the same RUN with `&& rm -rf /var/lib/apt/lists/*`.',
    refs: { kics: 'dockerfile/apt_get_install_lists_were_not_deleted', hadolint: 'DL3009' }
  }),
  apkCache: rule({
    id: 'dockerfile/apk-cache',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'apk add without --no-cache',
    description: 'The apk index cache stays in the layer unless `--no-cache` is given.',
    remediation: 'Use `apk add --no-cache …`.',
    refs: { kics: 'dockerfile/apk_add_using_local_cache_path', hadolint: 'DL3019', trivy: 'AVD-DS-0025' }
  }),
  pipCache: rule({
    id: 'dockerfile/pip-cache',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'pip install without --no-cache-dir',
    description: "pip's download cache stays in the layer unless `--no-cache-dir` is given.",
    remediation: 'Use `pip install --no-cache-dir …` (or `ENV PIP_NO_CACHE_DIR=1`).',
    refs: { kics: 'dockerfile/pip_install_keeping_cached_packages', hadolint: 'DL3042' }
  }),
  yumCache: rule({
    id: 'dockerfile/yum-cache',
    category: 'cost',
    topics: ['cost-waste'],
    severity: 'low',
    title: 'yum/dnf install without clean',
    description: 'The yum/dnf metadata and package cache stay in the layer unless cleaned in the same RUN.',
    remediation: 'End the same RUN with `&& yum clean all` (or `dnf clean all`).',
    refs: { kics: 'dockerfile/yum_clean_all_missing', hadolint: 'DL3032', trivy: 'AVD-DS-0015' }
  }),
  workdirRelative: rule({
    id: 'dockerfile/workdir-relative',
    category: 'immutability',
    topics: ['immutable-artifacts'],
    severity: 'low',
    title: 'Relative WORKDIR',
    description: "A relative WORKDIR depends on the previous WORKDIR, possibly the base image's, which can change with the base image.",
    remediation: 'Use an absolute path, e.g. `WORKDIR /app`.',
    refs: { kics: 'dockerfile/workdir_path_not_absolute', hadolint: 'DL3000', checkov: 'CKV_DOCKER_10', trivy: 'AVD-DS-0009' }
  })
} as const

export const dockerfileRules: RuleMeta[] = Object.values(R)

// ── Model: stages ────────────────────────────────────────────────────────────────────────────

interface Stage {
  index: number
  from: From
  alias?: string
  /** Instructions after the FROM, up to the next FROM. */
  body: Instruction[]
  /** The image reference after ARG substitution, or undefined when it cannot be resolved. */
  image?: string
  /** Index of the earlier stage this one is built from. */
  parent?: number
}

interface Context {
  file: SourceFile
  lines: string[]
  findings: Finding[]
}

function emit(ctx: Context, meta: RuleMeta, line: number, message: string, extra: { endLine?: number; suggestion?: string } = {}): void {
  const f: Finding = {
    ruleId: meta.id,
    category: meta.category,
    severity: meta.severity,
    path: ctx.file.path,
    line,
    message,
    remediation: meta.remediation
  }
  if (extra.endLine !== undefined && extra.endLine > line) f.endLine = extra.endLine
  if (extra.suggestion !== undefined) f.suggestion = extra.suggestion
  ctx.findings.push(f)
}

/** 1-based first and last line of an instruction. */
function span(i: Instruction): { line: number; endLine: number } {
  const r = i.getRange()
  return { line: r.start.line + 1, endLine: r.end.line + 1 }
}

export function analyzeDockerfile(file: SourceFile): Finding[] {
  const dockerfile = DockerfileParser.parse(file.content)
  const stages = buildStages(dockerfile.getInstructions())
  const ctx: Context = { file, lines: file.content.split('\n'), findings: [] }
  const finalChain = ancestry(stages, stages.length - 1)

  for (const stage of stages) {
    checkBaseImage(ctx, stage)
    for (const ins of stage.body) checkEveryStage(ctx, ins)
  }
  for (const ins of preambleArgs(dockerfile.getInstructions())) checkSecretsInProperties(ctx, ins)

  const imageBody = finalChain.flatMap((i) => stages[i].body)
  checkUser(ctx, stages, finalChain)
  checkHealthcheck(ctx, stages[stages.length - 1], imageBody)
  checkCommandForm(ctx, imageBody)
  checkExposedPorts(ctx, imageBody)
  checkCaches(ctx, imageBody)
  return ctx.findings.sort(byLine)
}

function byLine(a: Finding, b: Finding): number {
  return a.line - b.line || a.ruleId.localeCompare(b.ruleId)
}

function buildStages(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = []
  const globalArgs = new Map<string, string | null>()
  for (const ins of instructions) {
    const keyword = ins.getKeyword()
    if (keyword === 'FROM') {
      const from = ins as From
      const raw = from.getImage()
      if (!raw) throw new ParseError(`FROM without an image at line ${span(ins).line}`, span(ins).line)
      const alias = from.getBuildStage() ?? undefined
      const image = substituteArgs(raw, globalArgs)
      const parent = image === undefined ? undefined : stages.findIndex((s) => s.alias !== undefined && s.alias.toLowerCase() === image.toLowerCase())
      stages.push({ index: stages.length, from, alias, body: [], image, parent: parent === -1 ? undefined : parent })
    } else if (stages.length === 0) {
      if (keyword !== 'ARG') {
        throw new ParseError(`${keyword} at line ${span(ins).line} comes before the first FROM`, span(ins).line)
      }
      const prop = (ins as Arg).getProperty()
      if (prop) globalArgs.set(prop.getName(), prop.getValue())
    } else {
      stages[stages.length - 1].body.push(ins)
    }
  }
  if (stages.length === 0) throw new ParseError('no FROM instruction (empty or not a Dockerfile)')
  return stages
}

function preambleArgs(instructions: Instruction[]): Instruction[] {
  const out: Instruction[] = []
  for (const ins of instructions) {
    if (ins.getKeyword() === 'FROM') break
    out.push(ins)
  }
  return out
}

/** Replaces `$NAME`, `${NAME}` and `${NAME:-default}` with ARG defaults; undefined when one is unknown. */
function substituteArgs(raw: string, args: Map<string, string | null>): string | undefined {
  let unresolved = false
  const out = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^{}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced: string, dflt: string | undefined, bare: string) => {
    const value = args.get(braced ?? bare)
    if (value !== null && value !== undefined && value !== '') return value
    if (dflt !== undefined) return dflt
    unresolved = true
    return ''
  })
  return unresolved || out.includes('$') ? undefined : out
}

/** The final stage and the stages it is built from, nearest first. */
function ancestry(stages: Stage[], index: number): number[] {
  const chain: number[] = []
  let cur: number | undefined = index
  while (cur !== undefined && !chain.includes(cur)) {
    chain.push(cur)
    cur = stages[cur].parent
  }
  return chain
}

// ── Base image ───────────────────────────────────────────────────────────────────────────────

function checkBaseImage(ctx: Context, stage: Stage): void {
  if (stage.image === undefined || stage.parent !== undefined) return
  if (stage.image.toLowerCase() === 'scratch') return
  const ref: ImageRef = parseImageRef(stage.image)
  const { line } = span(stage.from)
  const reason = mutableImageReason(ref)
  if (reason === 'latest') {
    emit(ctx, R.baseImageLatest, line, `base image \`${stage.image}\` uses the moving \`latest\` tag`)
  } else if (reason === 'untagged') {
    emit(ctx, R.baseImageLatest, line, `base image \`${stage.image}\` has no tag, so it resolves to \`latest\``)
  } else if (!ref.digest) {
    emit(ctx, R.baseImageNoDigest, line, `base image \`${stage.image}\` is pinned by tag but not by digest`)
  }
}

// ── Instructions in every stage ─────────────────────────────────────────────────────────────

function checkEveryStage(ctx: Context, ins: Instruction): void {
  switch (ins.getKeyword()) {
    case 'RUN':
      checkRun(ctx, ins as Run)
      break
    case 'ADD':
      checkAdd(ctx, ins)
      break
    case 'ENV':
    case 'ARG':
      checkSecretsInProperties(ctx, ins)
      break
    case 'WORKDIR':
      checkWorkdir(ctx, ins)
      break
  }
}

function checkSecretsInProperties(ctx: Context, ins: Instruction): void {
  const keyword = ins.getKeyword()
  const props = keyword === 'ENV' ? (ins as Env).getProperties() : keyword === 'ARG' ? [(ins as Arg).getProperty()].filter((p) => p !== null) : []
  for (const p of props) {
    if (isSecretName(p.getName()) && isLiteralSecretValue(p.getValue())) {
      const line = p.getNameRange().start.line + 1
      emit(ctx, R.secretInEnv, line, `${keyword} sets \`${p.getName()}\` to a literal value that looks like a secret`)
    }
  }
}

function checkWorkdir(ctx: Context, ins: Instruction): void {
  const dir = (ins.getArgumentsContent() ?? '').trim().replace(/^["']|["']$/g, '')
  if (dir === '' || dir.startsWith('/') || dir.startsWith('$') || /^[A-Za-z]:[\\/]/.test(dir) || dir.startsWith('\\')) return
  emit(ctx, R.workdirRelative, span(ins).line, `WORKDIR \`${dir}\` is relative to the previous working directory`)
}

const ARCHIVE = /\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst|lz|lzma)|gz|bz2|xz|zst)$/i
const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i

function checkAdd(ctx: Context, ins: Instruction): void {
  const flags = (ins as unknown as { getFlags(): Flag[] }).getFlags()
  const sources = addSources(ins)
  if (sources.length === 0) return
  const { line, endLine } = span(ins)
  const hasChecksum = flags.some((f) => f.getName() === 'checksum')
  for (const src of sources.filter((s) => REMOTE.test(s))) {
    if (!hasChecksum) emit(ctx, R.addRemoteUrl, line, `ADD downloads \`${src}\` without verifying a checksum`, { endLine })
  }
  const local = sources.filter((s) => !REMOTE.test(s))
  if (local.length === 0 || local.some((s) => ARCHIVE.test(s))) return
  // Replacing ADD with COPY is only certain for literal local paths and no ADD-only flags.
  const addOnlyFlag = flags.some((f) => ['checksum', 'keep-git-dir', 'unpack'].includes(f.getName()))
  const certain = local.length === sources.length && !local.some((s) => s.includes('$')) && !addOnlyFlag && line === endLine
  const text = ctx.lines[line - 1] ?? ''
  const suggestion = certain && /^(\s*)ADD(\s)/i.test(text) ? text.replace(/^(\s*)ADD(\s)/i, '$1COPY$2') : undefined
  emit(ctx, R.addInsteadOfCopy, line, `ADD of local ${local.length === 1 ? `\`${local[0]}\`` : 'files'} where COPY would do`, { endLine, suggestion })
}

/** ADD sources: every argument but the destination, for both the shell and the JSON form. */
function addSources(ins: Instruction): string[] {
  const content = (ins.getArgumentsContent() ?? '').trim()
  let args: string[]
  const json = parseJsonArray(content)
  if (json) args = json
  else args = ins.getArguments().map((a) => a.getValue())
  return args.length >= 2 ? args.slice(0, -1) : []
}

function parseJsonArray(content: string): string[] | undefined {
  if (!content.startsWith('[')) return undefined
  try {
    const v: unknown = JSON.parse(content)
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
  } catch {
    // Not valid JSON: Docker runs it in shell form.
  }
  return undefined
}

// ── RUN ─────────────────────────────────────────────────────────────────────────────────────

/** The commands of a RUN, from the shell form, the exec form or a heredoc. */
function runCommands(run: Instruction): ShellCommand[] {
  const content = (run.getArgumentsContent() ?? '').trim()
  const json = parseJsonArray(content)
  if (json) {
    if (json.length >= 3 && /(^|\/)(ba|da|a|z)?sh$/.test(json[0]) && json[1] === '-c') return splitShellCommands(json[2])
    return json.length > 0 ? [{ words: json, next: 'end' }] : []
  }
  const heredoc = /^<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])["']?[^\n]*\n([\s\S]*)$/.exec(content)
  if (heredoc) {
    const body = heredoc[2].split('\n')
    const end = body.findIndex((l) => l.trim() === heredoc[1])
    return splitShellCommands((end === -1 ? body : body.slice(0, end)).join('\n'))
  }
  return splitShellCommands(content)
}

function invocations(commands: ShellCommand[]): Invocation[] {
  return commands.map((c) => invocationOf(c.words)).filter((x): x is Invocation => x !== undefined)
}

function checkRun(ctx: Context, run: Run): void {
  const commands = runCommands(run)
  const calls = invocations(commands)
  const { line, endLine } = span(run)
  const at = { endLine }

  if (calls.some((c) => c.elevated)) emit(ctx, R.sudo, line, 'RUN uses `sudo`', at)
  if (pipesRemoteScriptToShell(commands, run.getArgumentsContent() ?? '')) {
    emit(ctx, R.curlPipeShell, line, 'RUN pipes a downloaded script straight into a shell', at)
  }
  for (const call of calls) {
    const unpinned = unpinnedPackages(call)
    if (unpinned) {
      const { meta, tool, names } = unpinned
      emit(ctx, meta, line, `\`${tool}\` names ${listNames(names)} without a pinned version`, at)
    }
    if (isNpmInstallWithoutPackages(call)) emit(ctx, R.npmInstallNotCi, line, '`npm install` used instead of `npm ci`', at)
    const upgrade = upgradeCommand(call)
    if (upgrade) emit(ctx, R.packageUpgrade, line, `RUN upgrades all packages with \`${upgrade}\``, at)
  }
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => `\`${n}\``).join(', ')
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ash', 'ksh', 'python', 'python3', 'perl', 'ruby', 'node'])
const FETCHERS = new Set(['curl', 'wget'])

function pipesRemoteScriptToShell(commands: ShellCommand[], raw: string): boolean {
  let fetched = false
  for (let i = 0; i < commands.length; i++) {
    const call = invocationOf(commands[i].words)
    if (call && fetched && SHELLS.has(call.program)) return true
    if (call && FETCHERS.has(call.program)) fetched = true
    if (commands[i].next !== '|') fetched = false
  }
  // `sh -c "$(curl …)"` and `bash <(curl …)`
  return /\b(ba|z|da|k)?sh\b(?:(?!\b(?:ba|z|da|k)?sh\b)[^\n;&|])*(<\(|\$\()\s*(curl|wget)\b/.test(raw)
}

// ── Package managers ────────────────────────────────────────────────────────────────────────

const APT_OPTS_WITH_ARG = new Set(['-o', '--option', '-c', '--config-file', '--default-release'])
const APK_OPTS_WITH_ARG = new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file'])
const YUM_OPTS_WITH_ARG = new Set(['-c', '--config', '--installroot', '--releasever', '-x', '--exclude', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--setopt', '--downloaddir', '-d', '--debuglevel', '-e', '--errorlevel'])
const PIP_OPTS_WITH_ARG = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '-t', '--target', '--prefix', '--root', '--src', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi',
  '--progress-bar', '--cache-dir', '--log', '--global-option', '--install-option', '-C', '--config-settings', '--upgrade-strategy',
  '--only-binary', '--no-binary', '--timeout', '--retries', '--proxy', '--cert', '--client-cert', '--exists-action', '--report', '--python'
])
const NPM_OPTS_WITH_ARG = new Set(['--prefix', '--registry', '--cache', '--userconfig', '--omit', '--include', '--tag', '-w', '--workspace', '--loglevel'])

interface Unpinned {
  meta: RuleMeta
  tool: string
  names: string[]
}

/** The packages an install command names without a version, with the rule that covers it. */
function unpinnedPackages(call: Invocation): Unpinned | undefined {
  const { program, args } = call
  if (program === 'apt-get' || program === 'apt' || program === 'aptitude') {
    const pkgs = aptInstallPackages(args)
    const names = pkgs?.filter((p) => !p.includes('=') && !isFileOrVariable(p) && !p.endsWith('.deb'))
    return names?.length ? { meta: R.aptUnpinned, tool: `${program} install`, names } : undefined
  }
  if (program === 'apk') {
    const [sub, ...rest] = positionals(args, APK_OPTS_WITH_ARG)
    if (sub !== 'add') return undefined
    const names = rest.filter((p) => !/[=<>~]/.test(p) && !isFileOrVariable(p) && !p.endsWith('.apk'))
    return names.length ? { meta: R.apkUnpinned, tool: 'apk add', names } : undefined
  }
  if (program === 'yum' || program === 'dnf' || program === 'microdnf') {
    const [sub, ...rest] = positionals(args, YUM_OPTS_WITH_ARG)
    if (sub !== 'install') return undefined
    const names = rest.filter((p) => !/-\d|[=<>]/.test(p) && !isFileOrVariable(p) && !p.endsWith('.rpm') && !p.startsWith('@'))
    return names.length ? { meta: R.yumUnpinned, tool: `${program} install`, names } : undefined
  }
  const pip = pipInstallArgs(call)
  if (pip) {
    const names = pipUnpinnedNames(pip)
    return names.length ? { meta: R.pipUnpinned, tool: 'pip install', names } : undefined
  }
  if (program === 'npm') {
    const [sub, ...rest] = positionals(args, NPM_OPTS_WITH_ARG)
    if (!sub || !['install', 'i', 'add', 'isntall'].includes(sub)) return undefined
    const names = rest.filter((p) => !isFileOrVariable(p) && !npmHasVersion(p))
    return names.length ? { meta: R.npmUnpinned, tool: 'npm install', names } : undefined
  }
  return undefined
}

/** Packages of `apt-get install`; undefined for other subcommands. */
function aptInstallPackages(args: string[]): string[] | undefined {
  const words: string[] = []
  let targetRelease = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (APT_OPTS_WITH_ARG.has(a)) {
      i++
      continue
    }
    if (a === '-t' || a === '--target-release') {
      // `-t <release>` takes an argument, but with nothing after it the word is the package.
      targetRelease = true
      continue
    }
    if (a.startsWith('-')) continue
    words.push(a)
  }
  const [sub, ...pkgs] = words
  if (sub !== 'install') return undefined
  return targetRelease && pkgs.length > 1 ? pkgs.slice(1) : pkgs
}

function isFileOrVariable(word: string): boolean {
  return word.includes('$') || word.startsWith('/') || word.startsWith('.') || word.startsWith('~') || word.includes('://') || word === '' || word.includes('`')
}

/** Arguments after `install` for pip, pip3, pip3.12 and `python -m pip`. */
function pipInstallArgs(call: Invocation): string[] | undefined {
  let args = call.args
  if (/^python[\d.]*$/.test(call.program)) {
    const m = args.indexOf('-m')
    if (m === -1 || args[m + 1] !== 'pip') return undefined
    args = args.slice(m + 2)
  } else if (!/^pip[\d.]*$/.test(call.program)) return undefined
  const sub = args.findIndex((a) => !a.startsWith('-'))
  return sub !== -1 && args[sub] === 'install' ? args.slice(sub + 1) : undefined
}

function pipUnpinnedNames(args: string[]): string[] {
  const words = positionals(args, PIP_OPTS_WITH_ARG)
  const names: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    if (words[i + 1] === '@') {
      i += 2 // `name @ url`: a direct reference
      continue
    }
    if (w.includes('@') || isFileOrVariable(w) || /^(git|hg|svn|bzr)\+/.test(w) || /\.(whl|zip|tar\.gz|tgz)$/.test(w)) continue
    // `==`, `===` and a bare `=` name a version; `>=`, `~=`, `!=`, `<=` only bound it.
    if (w.replace(/[<>!~]=/g, '').includes('=')) continue
    names.push(w)
  }
  return names
}

function npmHasVersion(spec: string): boolean {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0)
  // No `@version`: only git/GitHub shorthands (`user/repo`, `github:user/repo`) name a fixed source.
  if (at === -1) return spec.includes(':') || (spec.includes('/') && !spec.startsWith('@'))
  const version = spec.slice(at + 1)
  return version !== '' && version !== 'latest' && version !== 'next'
}

function isNpmInstallWithoutPackages(call: Invocation): boolean {
  if (call.program !== 'npm') return false
  const [sub, ...rest] = positionals(call.args, NPM_OPTS_WITH_ARG)
  if (!sub || !['install', 'i', 'isntall'].includes(sub)) return false
  const global = call.args.includes('-g') || call.args.includes('--global')
  return rest.length === 0 && !global
}

function upgradeCommand(call: Invocation): string | undefined {
  const { program, args } = call
  if (program === 'apt-get' || program === 'apt') {
    const sub = positionals(args, APT_OPTS_WITH_ARG)[0]
    if (sub === 'upgrade' || sub === 'dist-upgrade' || sub === 'full-upgrade') return `${program} ${sub}`
  }
  if (program === 'apk') {
    const sub = positionals(args, APK_OPTS_WITH_ARG)[0]
    if (sub === 'upgrade') return 'apk upgrade'
  }
  if (program === 'yum' || program === 'dnf' || program === 'microdnf') {
    const [sub, ...rest] = positionals(args, YUM_OPTS_WITH_ARG)
    if ((sub === 'update' || sub === 'upgrade') && rest.length === 0) return `${program} ${sub}`
  }
  return undefined
}

// ── The final image ─────────────────────────────────────────────────────────────────────────

function isRootUser(user: string): boolean {
  const name = user.split(':')[0].trim()
  return name === 'root' || name === '0'
}

function checkUser(ctx: Context, stages: Stage[], chain: number[]): void {
  for (const index of chain) {
    const users = stages[index].body.filter((i) => i.getKeyword() === 'USER')
    const last = users[users.length - 1]
    if (last) {
      const user = (last.getArgumentsContent() ?? '').trim()
      if (isRootUser(user)) emit(ctx, R.rootUser, span(last).line, 'the final image runs as `root` (last USER)')
      return
    }
  }
  const rootStage = stages[chain[chain.length - 1]]
  const base = rootStage.image ?? ''
  // Distroless and similar images whose tag says they already run unprivileged.
  if (/nonroot|non-root|rootless/i.test(base)) return
  emit(ctx, R.noUser, span(stages[stages.length - 1].from).line, 'the final stage sets no USER, so the container runs as the base image user (usually root)')
}

function checkHealthcheck(ctx: Context, finalStage: Stage, body: Instruction[]): void {
  if (body.some((i) => i.getKeyword() === 'HEALTHCHECK')) return
  emit(ctx, R.noHealthcheck, span(finalStage.from).line, 'the final image defines no HEALTHCHECK')
}

const SIMPLE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/

function checkCommandForm(ctx: Context, body: Instruction[]): void {
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const matching = body.filter((i) => i.getKeyword() === keyword)
    const last = matching[matching.length - 1]
    if (!last) continue
    const content = (last.getArgumentsContent() ?? '').trim()
    if (content === '' || parseJsonArray(content)) continue
    const words = content.split(/\s+/)
    if (words[0] === 'exec') continue
    const { line, endLine } = span(last)
    const text = ctx.lines[line - 1] ?? ''
    const indent = /^\s*/.exec(text)?.[0] ?? ''
    const simple = line === endLine && words.every((w) => SIMPLE_WORD.test(w)) && new RegExp(`^\\s*${keyword}\\s`, 'i').test(text)
    const suggestion = simple ? `${indent}${keyword} [${words.map((w) => JSON.stringify(w)).join(', ')}]` : undefined
    emit(ctx, R.shellFormCommand, line, `${keyword} uses the shell form, so the process does not receive SIGTERM`, { endLine, suggestion })
  }
}

function checkExposedPorts(ctx: Context, body: Instruction[]): void {
  for (const ins of body.filter((i) => i.getKeyword() === 'EXPOSE')) {
    const exposesSsh = ins.getArguments().some((a) => {
      const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(a.getValue())
      if (!m || (m[3] && m[3].toLowerCase() !== 'tcp')) return false
      const lo = Number(m[1])
      const hi = m[2] ? Number(m[2]) : lo
      return lo <= 22 && 22 <= hi
    })
    if (exposesSsh) emit(ctx, R.exposeSsh, span(ins).line, 'EXPOSE publishes SSH port 22')
  }
}

function checkCaches(ctx: Context, body: Instruction[]): void {
  const pipCacheOff = body.some(
    (i) => i.getKeyword() === 'ENV' && (i as Env).getProperties().some((p) => p.getName() === 'PIP_NO_CACHE_DIR' && /^(1|true|yes|on|off|0|false)$/i.test(p.getValue() ?? ''))
  )
  for (const ins of body.filter((i) => i.getKeyword() === 'RUN')) {
    const run = ins as Run
    if (run.getFlags().some((f) => f.getName() === 'mount' && /type=cache/.test(f.getValue() ?? ''))) continue
    const calls = invocations(runCommands(run))
    const raw = run.getArgumentsContent() ?? ''
    const { line, endLine } = span(run)

    const aptInstall = calls.some((c) => (c.program === 'apt-get' || c.program === 'apt') && aptInstallPackages(c.args) !== undefined)
    const aptCleaned = /\/var\/lib\/apt\/lists/.test(raw) || calls.some((c) => (c.program === 'apt-get' || c.program === 'apt') && c.args.includes('clean'))
    if (aptInstall && !aptCleaned) {
      emit(ctx, R.aptCache, line, 'apt-get install leaves /var/lib/apt/lists in the layer', { endLine, suggestion: appendToRun(ctx, run, 'rm -rf /var/lib/apt/lists/*') })
    }

    const apkAdd = calls.find((c) => c.program === 'apk' && positionals(c.args, APK_OPTS_WITH_ARG)[0] === 'add')
    if (apkAdd && !apkAdd.args.includes('--no-cache') && !/\/var\/cache\/apk/.test(raw)) {
      emit(ctx, R.apkCache, line, '`apk add` without `--no-cache` keeps the package index in the layer', { endLine, suggestion: insertAfter(ctx, run, /\bapk add\b/, ' --no-cache') })
    }

    const pip = calls.find((c) => pipInstallArgs(c) !== undefined)
    if (pip && !pipCacheOff && !pip.args.includes('--no-cache-dir') && !/\.cache\/pip/.test(raw)) {
      emit(ctx, R.pipCache, line, '`pip install` without `--no-cache-dir` keeps the download cache in the layer', { endLine, suggestion: insertAfter(ctx, run, /\bpip[\d.]* install\b/, ' --no-cache-dir') })
    }

    const yum = calls.find((c) => ['yum', 'dnf', 'microdnf'].includes(c.program) && positionals(c.args, YUM_OPTS_WITH_ARG)[0] === 'install')
    const yumCleaned = calls.some((c) => ['yum', 'dnf', 'microdnf'].includes(c.program) && c.args.includes('clean')) || /\/var\/cache\/(yum|dnf)/.test(raw)
    if (yum && !yumCleaned) {
      emit(ctx, R.yumCache, line, `\`${yum.program} install\` without \`${yum.program} clean all\` keeps the package cache in the layer`, { endLine })
    }
  }
}

/** The single-line shell-form RUN whose text can be edited mechanically, or undefined. */
function editableRunLine(ctx: Context, run: Instruction): string | undefined {
  const { line, endLine } = span(run)
  if (line !== endLine) return undefined
  const text = ctx.lines[line - 1] ?? ''
  const content = (run.getArgumentsContent() ?? '').trim()
  if (content.startsWith('[') || content.startsWith('<<') || text.includes('#') || /[\\&|;]\s*$/.test(text)) return undefined
  return text
}

function appendToRun(ctx: Context, run: Instruction, command: string): string | undefined {
  const text = editableRunLine(ctx, run)
  return text === undefined ? undefined : `${text.trimEnd()} && ${command}`
}

function insertAfter(ctx: Context, run: Instruction, anchor: RegExp, insertion: string): string | undefined {
  const text = editableRunLine(ctx, run)
  if (text === undefined) return undefined
  const m = anchor.exec(text)
  if (!m) return undefined
  const at = m.index + m[0].length
  return text.slice(0, at) + insertion + text.slice(at)
}
