/** Checks on the instructions of every stage: the base image, RUN, ADD, ENV/ARG secrets, WORKDIR. */
import type { Instruction, Arg, Env, Run, Flag } from 'dockerfile-ast'
import { invocationOf, type ShellCommand } from '../parse/shell-words.js'
import { envSecretLiteral, parseImageRef, mutableImageReason, type ImageRef } from '../container-common.js'
import type { RuleMeta } from '../../types.js'
import { R } from './meta.js'
import { TRIVIAL_DIGITS, isTrivialDigitRun } from '../secrets/keys.js'
import { localBuildOf } from './built-images.js'
import { SHELL_C, emit, isRootUser, parseJsonArray, span, stageName, type Context, type RunShell, type Stage } from './stages.js'
import { isNpmInstallWithoutPackages, unpinnedPackages, upgradeCommand } from './packages.js'

// ── Base image ───────────────────────────────────────────────────────────────────────────────

export function checkBaseImage(ctx: Context, stage: Stage): void {
  if (stage.image === undefined || stage.parent !== undefined) return
  if (stage.image.toLowerCase() === 'scratch') return
  const ref: ImageRef = parseImageRef(stage.image)
  const { line } = span(stage.from)
  const reason = mutableImageReason(ref)
  if ((reason === 'latest' || reason === 'untagged') && upperCaseRepository(ref.name)) {
    // `FROM BASEIMAGE`: no registry holds an upper-case repository name, so it cannot be pulled as
    // written; it is a slot a build step fills (rook's Makefile runs `sed 's|BASEIMAGE|…|'`).
    emit(ctx, R.baseImageLatest, line, `base image \`${stage.image}\` is no pullable image name as written (repository names are lower-case), so it is a placeholder a build step replaces; its tag is whatever that step writes (info)`, { severity: 'info' })
  } else if (reason === 'latest' || reason === 'untagged') {
    const what = reason === 'latest' ? `uses the moving \`latest\` tag` : `has no tag, so it resolves to \`latest\``
    // An image the repository builds itself is whatever its own build just made, not a registry's moving tag.
    const local = localBuildOf(stage.image, ctx.builtImages, ctx.file.path)
    if (local !== undefined) emit(ctx, R.baseImageLatest, line, `base image \`${stage.image}\` ${what} (an image this repository builds, ${local}, so the tag names its own last build: info)`, { severity: 'info' })
    else emit(ctx, R.baseImageLatest, line, `base image \`${stage.image}\` ${what}`)
  } else if (!ref.digest) {
    emit(ctx, R.baseImageNoDigest, line, `base image \`${stage.image}\` is pinned by tag but not by digest`)
  }
}

/**
 * True when the repository path of an image name (without its registry host, which may be
 * upper-case) holds an upper-case letter: an invalid reference Docker refuses to pull.
 */
function upperCaseRepository(name: string): boolean {
  const parts = name.split('/')
  // The first part is a registry host when it has a dot or a port, or is `localhost`.
  const path = parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost') ? parts.slice(1) : parts
  return path.some((part) => /[A-Z]/.test(part)) && !name.includes('$')
}

// ── Instructions in every stage ─────────────────────────────────────────────────────────────

export function checkSecretsInProperties(ctx: Context, ins: Instruction): void {
  const keyword = ins.getKeyword()
  const props = keyword === 'ENV' ? (ins as Env).getProperties() : keyword === 'ARG' ? [(ins as Arg).getProperty()].filter((p) => p !== null) : []
  for (const p of props) {
    const literal = envSecretLiteral(p.getName(), p.getValue())
    if (literal !== undefined && !literal.standIn) {
      const line = p.getNameRange().start.line + 1
      const what = literal.inUrl ? `puts a password in the URL of \`${p.getName()}\`` : `sets \`${p.getName()}\` to a literal value that looks like a secret`
      // `ENV AIO_TOKEN=123456`: a dummy for the run time to replace, or a default anyone tries first: medium.
      if (isTrivialDigitRun(literal.secret)) emit(ctx, R.secretInEnv, line, `${keyword} ${what}, ${TRIVIAL_DIGITS}`, { severity: 'medium' })
      else emit(ctx, R.secretInEnv, line, `${keyword} ${what}`)
    }
  }
}

export function checkWorkdir(ctx: Context, ins: Instruction): void {
  const dir = (ins.getArgumentsContent() ?? '').trim().replace(/^["']|["']$/g, '')
  if (dir === '' || dir.startsWith('/') || dir.startsWith('$') || /^[A-Za-z]:[\\/]/.test(dir) || dir.startsWith('\\')) return
  emit(ctx, R.workdirRelative, span(ins).line, `WORKDIR \`${dir}\` is relative to the previous working directory`)
}

const ARCHIVE = /\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst|lz|lzma)|gz|bz2|xz|zst)$/i
const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/i

export function checkAdd(ctx: Context, ins: Instruction): void {
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

// ── RUN ─────────────────────────────────────────────────────────────────────────────────────

/** What a RUN risks beyond its packages: root through sudo, a downloaded script run unseen. */
export function checkRunRisks(ctx: Context, run: Run, { content, commands, calls }: RunShell): void {
  const { line, endLine } = span(run)
  const at = { endLine }

  const elevated = calls.filter((c) => c.elevated)
  // `sudo -u discourse …` from a root step runs it as that user: nothing is raised, only an image tool used where USER would do.
  // A shell handed a script (`sudo -u app bash -c "sudo …"`) may raise again inside it, unread here.
  const switches = elevated.map((c) => (SHELL_C.test(c.program) && c.args.includes('-c') ? undefined : c.runsAs))
  if (elevated.length > 0 && switches.every((s) => s !== undefined && /^(?:[A-Za-z_][\w.-]*|#?\d+)$/.test(s.user) && !isRootUser(s.user))) {
    const shown = [...new Set(switches.map((s) => `\`${s!.by} -u ${s!.user}\``))].join(', ')
    emit(ctx, R.sudo, line, `RUN uses ${shown} to run a step as another user, which raises nothing; \`USER\` around the step does the same without sudo in the image (low)`, { ...at, severity: 'low' })
  } else if (elevated.length > 0) emit(ctx, R.sudo, line, 'RUN uses `sudo`', at)
  if (pipesRemoteScriptToShell(commands, content)) {
    emit(ctx, R.curlPipeShell, line, 'RUN pipes a downloaded script straight into a shell', at)
  }
}

/**
 * The packages a RUN installs: versions not pinned, `npm install` for `npm ci`, upgrades of everything.
 * `outside`: the RUN's stage, when the final image neither is built from it nor copies from it; an
 * unpinned package there reaches no shipped image, so it is low.
 */
export function checkRunPackages(ctx: Context, run: Run, { calls }: RunShell, outside?: Stage): void {
  const { line, endLine } = span(run)
  const at = { endLine }
  // One finding per rule and RUN (findings of one line merge into the first), naming the
  // packages of every install command of the RUN, not only of the first.
  const unpinnedByRule = new Map<RuleMeta, { tools: string[]; names: string[] }>()
  for (const call of calls) {
    const unpinned = unpinnedPackages(call)
    if (unpinned) {
      const seen = unpinnedByRule.get(unpinned.meta) ?? { tools: [], names: [] }
      if (!seen.tools.includes(unpinned.tool)) seen.tools.push(unpinned.tool)
      for (const name of unpinned.names) if (!seen.names.includes(name)) seen.names.push(name)
      unpinnedByRule.set(unpinned.meta, seen)
    }
    if (isNpmInstallWithoutPackages(call)) {
      const lock = npmLockfileIn(ctx)
      // Without a lockfile `npm ci` fails: a tree that shows the package.json and no lockfile has nothing to report.
      if (lock === 'lockfile') emit(ctx, R.npmInstallNotCi, line, '`npm install` used instead of `npm ci`, although the build context has a lockfile', at)
      else if (lock === 'unknown') emit(ctx, R.npmInstallNotCi, line, '`npm install` resolves versions at build time: commit package-lock.json and install with `npm ci`', at)
    }
    const upgrade = upgradeCommand(call)
    if (upgrade) emit(ctx, R.packageUpgrade, line, `RUN upgrades all packages with \`${upgrade}\``, at)
  }
  for (const [meta, { tools, names }] of unpinnedByRule) {
    const message = `${tools.map((t) => `\`${t}\``).join(' and ')} ${tools.length > 1 ? 'name' : 'names'} ${listNames(names)} without a pinned version`
    if (outside) emit(ctx, meta, line, `${message}, in ${stageName(outside)}, which the final image does not contain`, { ...at, severity: 'low' })
    else emit(ctx, meta, line, message, at)
  }
}

const NPM_LOCKFILE = /(^|\/)(package-lock|npm-shrinkwrap)\.json$/
const NPM_MANIFEST = /(^|\/)package\.json$/

/**
 * What the file list says about npm's lockfile in the Dockerfile's build context (its folder):
 * `lockfile` when one sits beside the Dockerfile or in a folder it copies, `none` when the list
 * shows a package.json there but no lockfile (so `npm ci` would fail), `unknown` when the list
 * shows neither (a pull request that did not touch them, a context built from elsewhere).
 */
function npmLockfileIn(ctx: Context): 'lockfile' | 'none' | 'unknown' {
  if (!ctx.listed) return 'unknown'
  const slash = ctx.file.path.lastIndexOf('/')
  const dir = slash < 0 ? '' : ctx.file.path.slice(0, slash + 1)
  const copied = copiedSources(ctx)
  let manifest = false
  for (const path of ctx.listed) {
    if (!path.startsWith(dir)) continue
    const rel = path.slice(dir.length)
    const beside = !rel.includes('/')
    if (!beside && !copied.some((src) => src === '.' || rel === src || rel.startsWith(`${src}/`))) continue
    if (NPM_LOCKFILE.test(rel)) return 'lockfile'
    if (NPM_MANIFEST.test(rel)) manifest = true
  }
  return manifest ? 'none' : 'unknown'
}

/** Local sources of every COPY and ADD (not `--from` another stage), relative to the build context. */
function copiedSources(ctx: Context): string[] {
  const out: string[] = []
  for (const ins of ctx.instructions ?? []) {
    const keyword = ins.getKeyword()
    if (keyword !== 'COPY' && keyword !== 'ADD') continue
    const flags = (ins as unknown as { getFlags(): Flag[] }).getFlags()
    if (flags.some((f) => f.getName() === 'from')) continue
    for (const src of addSources(ins)) {
      let clean = src.replace(/^\.\//, '')
      while (clean.endsWith('/')) clean = clean.slice(0, -1)
      if (!REMOTE.test(src) && !clean.includes('*')) out.push(clean === '' ? '.' : clean)
    }
  }
  return out
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
