/** Checks on the shipped image (the final stage and the stages it is built from): user, health check, command form, ports, caches. */
import type { Copy, Instruction, Env, Run } from 'dockerfile-ast'
import { positionals, userOptionAt } from '../parse/shell-words.js'
import { R } from './meta.js'
import { imageBaseName, imageRepository, parseImageRef } from '../container-common.js'
import { SHELL_C, copyFrom, emit, isRootUser, parseJsonArray, span, type Context, type RunShell, type Stage } from './stages.js'
import { TEST_SUITE_COMMAND } from '../test-suites.js'
import { APK_OPTS_WITH_ARG, YUM_OPTS_WITH_ARG, aptInstallPackages, osInstallWords, pipInstallArgs } from './packages.js'

// ── The final image ─────────────────────────────────────────────────────────────────────────

/**
 * AWS Lambda base images: Lambda runs the function as its own unprivileged user whatever USER
 * says, and never runs a HEALTHCHECK.
 */
function isLambdaBase(image: string | undefined): boolean {
  return image !== undefined && /^(?:public\.ecr\.aws\/lambda\/|amazon\/aws-lambda-)/.test(image)
}

/**
 * Official (Docker Hub library) images whose default user is root: operating systems, language
 * runtimes and build tools, and the few server images whose main process stays root. Images
 * outside this list choose their own user, which a Dockerfile that only adds files inherits.
 */
const ROOT_OFFICIAL_BASES = new Set([
  'scratch', 'alpine', 'busybox', 'debian', 'ubuntu', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux',
  'photon', 'archlinux', 'buildpack-deps', 'bash', 'gcc', 'docker',
  'node', 'python', 'pypy', 'golang', 'rust', 'ruby', 'perl', 'php', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'ibmjava', 'ibm-semeru-runtimes',
  'sapmachine', 'maven', 'gradle', 'clojure', 'elixir', 'erlang', 'haskell', 'julia', 'r-base', 'swift', 'dart', 'mono',
  'nginx', 'httpd', 'tomcat', 'caddy'
])

/** Vendor paths (registry removed) of OS and runtime bases whose default user is root. */
const ROOT_VENDOR_BASE =
  /^(?:amazonlinux\/amazonlinux|opensuse\/[a-z]+|centos\/centos|(?:redhat\/)?ubi\d*(?:\/ubi[a-z-]*|-[a-z]+)?|distroless\/[a-z0-9-]+|dotnet\/(?:sdk|aspnet|runtime|runtime-deps)|azurelinux\/base\/core|cbl-mariner\/base\/core|google-cloud-cli|cloudsdktool\/google-cloud-cli)$/

/** The image path without registry host, tag or digest: `docker.io/library/node:20@sha256:…` → `node`, `registry.access.redhat.com/ubi9/ubi:9.4` → `ubi9/ubi`. */
const imagePath = (image: string): string => imageRepository(image).path

/** A base image known to run as root unless told otherwise. */
function isRootBase(image: string): boolean {
  const path = imagePath(image)
  return ROOT_OFFICIAL_BASES.has(path) || ROOT_VENDOR_BASE.test(path)
}

/** Compiler and build-tool images, by path or by the build argument that names one (`FROM ${golang_image}`). */
const BUILD_TOOLCHAINS = new Set(['golang', 'rust', 'maven', 'gradle', 'gcc', 'buildpack-deps'])

function isBuildImage(image: string): boolean {
  const argument = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(image.trim())?.[1]
  if (argument !== undefined) return [...BUILD_TOOLCHAINS, 'builder', 'toolchain'].some((word) => argument.toLowerCase().includes(word))
  return BUILD_TOOLCHAINS.has(imagePath(image))
}

/** Official root bases whose own CMD starts a service (a web server, the Docker daemon's image): no toolbox, whatever the Dockerfile adds (except the Docker image's CLI variant, see `isDockerCli`). */
const SERVER_BASES = new Set(['nginx', 'httpd', 'tomcat', 'caddy', 'docker'])

/** The words of an image's tag (`8.3-fpm-alpine` → `8`, `3`, `fpm`, `alpine`), lower-case. */
const tagWords = (image: string): string[] => (parseImageRef(image).tag ?? '').toLowerCase().split(/[-_.]/)

/** The Docker image's client-only variant (`docker:29-cli`): the CLI and nothing that starts the daemon. */
function isDockerCli(image: string): boolean {
  return imagePath(image) === 'docker' && tagWords(image).includes('cli')
}

/** Words of a runtime image's tag naming a server variant, whose own CMD starts it (`php:8-apache`, `php:8.3-fpm`). */
const SERVER_TAG_WORDS = new Set(['apache', 'fpm', 'nginx', 'httpd', 'server', 'tomcat', 'jetty', 'unit'])

/** A language-runtime or operating-system base (known to run as root), or the Docker CLI image, not a server image or variant whose own CMD starts a service. */
function isRuntimeOrOsBase(image: string): boolean {
  return isRootBase(image) && (!SERVER_BASES.has(imagePath(image)) || isDockerCli(image)) && imagePath(image) !== 'scratch' && !tagWords(image).some((w) => SERVER_TAG_WORDS.has(w))
}

/** Tools that re-run a process as another user (the step-down official images use instead of USER). */
const STEP_DOWN = /^(?:gosu|su-exec)$/
const STEP_DOWN_PATH = /\/(gosu|su-exec)$/
/** Programs whose path argument removes a file rather than puts it in the image. */
const REMOVERS = new Set(['rm', 'unlink', 'shred'])

/**
 * The step-down tool (`gosu`, `su-exec`) the image gets: a RUN installing it as a package or
 * writing a file of its name (a download, a link), or a COPY from an image named after it.
 * Read from the parsed shell words and flags, so a comment naming the tool does not count.
 */
function installedStepDown(stages: Stage[], chain: number[], runs: ReadonlyMap<Instruction, RunShell>): string | undefined {
  for (const index of chain) {
    for (const ins of stages[index].body) {
      const keyword = ins.getKeyword()
      if (keyword === 'RUN') {
        for (const call of runs.get(ins)?.calls ?? []) {
          const pkg = osInstallWords(call)?.words.map((name) => name.split(/[=<>~]/)[0]).find((name) => STEP_DOWN.test(name))
          if (pkg) return pkg
          const path = REMOVERS.has(call.program) ? undefined : call.args.map((a) => STEP_DOWN_PATH.exec(a)?.[1]).find((tool) => tool !== undefined)
          if (path) return path
        }
      } else if (keyword === 'COPY') {
        // An image named after the tool (`tianon/gosu`, `…/su-exec:0.2`), or a file of its name copied in.
        const from = copyFrom(ins as Copy) ?? ''
        const image = imageBaseName(from)
        const copied = (ins.getArguments() ?? []).map((a) => STEP_DOWN_PATH.exec(`/${a.getValue()}`)?.[1]).find((t) => t !== undefined)
        const tool = STEP_DOWN.test(image) ? image : copied
        if (tool) return tool
      }
    }
  }
  return undefined
}

/** What the image starts: ENTRYPOINT's and CMD's words (each as the chain last sets it), both in order, and whether either is a shell-form command of several. */
export interface ImageCommand {
  entrypoint: string[]
  cmd: string[]
  all: string[]
  /** `sudo -u app ./migrate.sh && node server.js`: a shell-form command of several, which a user switch in the first does not cover. */
  severalCommands: boolean
}

/** A command word's program name, without its folder (`/usr/sbin/crond` → `crond`). */
function programName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1)
}

/** The program a command runs: the first word past an init wrapper (`tini --`), not an option; by its name. */
function firstProgram(words: readonly string[]): string | undefined {
  return words.map(programName).find((w) => !w.startsWith('-') && !INIT_WRAPPERS.has(w))
}

/** Whether an entrypoint's program is a script (`/entrypoint.sh`, `docker-entrypoint`), past an init wrapper and a shell's `-c`. */
function entrypointScript(entrypoint: readonly string[]): boolean {
  const script = entrypoint.find((w) => !w.startsWith('-') && !INIT_WRAPPERS.has(programName(w)) && !SHELL_C.test(w))
  return script !== undefined && /entrypoint|\.sh$/i.test(programName(script))
}

/** What the image `chain` builds starts: ENTRYPOINT and CMD as the stages last set them, in exec or shell form. */
export function imageCommand(ctx: Context, stages: Stage[], chain: number[]): ImageCommand {
  const read = (keyword: 'ENTRYPOINT' | 'CMD') => {
    const instruction = effective(stages, chain, keyword)
    if (!instruction) return { words: [], several: false }
    const content = argumentsWithoutComments(ctx, instruction, keyword)
    const json = parseJsonArray(content)
    return { words: json ?? content.split(/\s+/).filter((w) => w !== ''), several: json === undefined && /&&|;|\|/.test(content) }
  }
  const entrypoint = read('ENTRYPOINT')
  const cmd = read('CMD')
  return { entrypoint: entrypoint.words, cmd: cmd.words, all: [...entrypoint.words, ...cmd.words], severalCommands: entrypoint.several || cmd.several }
}

/**
 * Official server images (databases) set no USER on purpose: the container starts as root and its
 * ENTRYPOINT re-runs the main process through `gosu` or `su-exec` as an unprivileged user. What to
 * say when the command (ENTRYPOINT, or CMD without one) runs such a tool or another user switch
 * (`userSwitchIn`) for a user other than root, or is an entrypoint script and the image installs
 * gosu or su-exec; undefined otherwise. `startsAs` opens the message (no USER, or `USER root`).
 */
function stepDownMessage(stages: Stage[], chain: number[], runs: ReadonlyMap<Instruction, RunShell>, started: ImageCommand, startsAs = 'the final stage sets no USER, so the container starts as root'): string | undefined {
  // Without an ENTRYPOINT the CMD is what starts (`CMD ["/entrypoint.sh"]`).
  const { entrypoint: declared, cmd, all: command, severalCommands } = started
  const entrypoint = declared.length > 0 ? declared : cmd
  if (entrypoint.length === 0) return undefined
  // A shell-form command of several (`sudo -u app ./migrate.sh && node server.js`) runs the rest as root.
  const direct = severalCommands ? undefined : userSwitchIn(command)
  if (direct !== undefined) {
    // `gosu root …` (or `0:0`) stays root: nothing is dropped.
    if (direct.user === '' || isRootUser(direct.user)) return undefined
    return `${startsAs}, but its command runs \`${direct.tool}\`, which drops to the user it names before the main process starts; check that this user is not root`
  }
  // Installed only: an entrypoint script (`/entrypoint.sh`) may use it; a program started directly (`node server.js`) cannot.
  if (!entrypointScript(entrypoint)) return undefined
  const tool = installedStepDown(stages, chain, runs)
  if (!tool) return undefined
  return `${startsAs}, but it installs \`${tool}\`, which an entrypoint uses to drop to an unprivileged user before the main process starts; check that the entrypoint (\`${entrypoint[0]}\`) does`
}

/** Tools that start a command as the user given with `-u` (`sudo -E -u discourse -H ruby …`, `runuser -u app --`, `chpst -u app`). */
const USER_OPTION_TOOLS = new Set(['sudo', 'doas', 'runuser', 'chpst'])
/** Tools that run their arguments as root, or as whoever they are told: another switch after the first may raise again. */
const RAISING = new Set(['sudo', 'doas', 'su', 'runuser', 'setpriv', 'chpst', 'gosu', 'su-exec', 's6-setuidgid'])
/** setpriv's options that set a user id; any of them naming root keeps the process root. */
const SETPRIV_USER_OPTIONS = ['--reuid', '--euid', '--ruid']

/**
 * The tool of a command that starts the rest as another user, with that user, when it is the
 * only such tool and the command is one program (no shell script after it that could switch back):
 * gosu, su-exec and s6-setuidgid take the user as their first argument; sudo and the like after
 * `-u` (the last one given wins, as they read it); setpriv after `--reuid`, `--euid` or `--ruid`
 * (root if any is). `sudo` without `-u` runs as root and names none. Quotes around the user are dropped.
 */
function userSwitchIn(command: readonly string[]): { tool: string; user: string } | undefined {
  const at = command.findIndex((w) => STEP_DOWN.test(programName(w)) || ['s6-setuidgid', 'setpriv'].includes(programName(w)) || USER_OPTION_TOOLS.has(programName(w)))
  if (at < 0) return undefined
  const tool = programName(command[at])
  const unquote = (w: string): string => w.replace(/^["']|["']$/g, '')
  let user: string | undefined
  let j = at + 1
  if (STEP_DOWN.test(tool) || tool === 's6-setuidgid') {
    user = unquote(command[j] ?? '')
    j++
  } else {
    const users: string[] = []
    for (; j < command.length && command[j].startsWith('-'); j++) {
      const option = command[j]
      if (tool !== 'setpriv') {
        const named = userOptionAt(command, j)
        if (named !== undefined) users.push(named.user)
        j += (named?.words ?? 1) - 1
        continue
      }
      const named = SETPRIV_USER_OPTIONS.find((n) => option === n || option.startsWith(`${n}=`))
      if (named !== undefined) users.push(option === named ? command[++j] ?? '' : option.slice(named.length + 1))
    }
    if (users.length === 0) return undefined
    const all = users.map(unquote)
    user = tool === 'setpriv' ? all.find((u) => isRootUser(u)) ?? all[all.length - 1] : all[all.length - 1]
  }
  // What runs after the switch must not switch again or be a script that could.
  const rest = command.slice(j)
  if (rest.some((w) => RAISING.has(programName(w)) || /\bsudo\b|\bsu\b|\bdoas\b/.test(w)) || (SHELL_C.test(rest[0] ?? '') && rest.includes('-c'))) return undefined
  // chpst's `-u :uid:gid` names the uid after the colon.
  if (tool === 'chpst' && user.startsWith(':')) user = user.slice(1)
  return { tool, user }
}

/** Programs that start the container's real command as their child. */
const INIT_WRAPPERS = new Set(['tini', 'dumb-init', 'catatonit'])

/** Cron daemons, which need root to start each job as the user its crontab names. */
const CRON_DAEMON = /^(?:cron|crond|cronie|dcron)$/

/**
 * The cron daemon an image runs: its command names one (`cron -f`, `busybox crond`), or it installs
 * one as a package and starts through a command of its own (an entrypoint script starting it).
 */
function cronDaemon(stages: Stage[], chain: number[], runs: ReadonlyMap<Instruction, RunShell>, started: ImageCommand): string | undefined {
  const { entrypoint, cmd, all: command } = started
  // The program the container runs, not an argument (`app --mode cron`).
  const program = firstProgram(command)
  if (program !== undefined && CRON_DAEMON.test(program)) return program
  // `CMD ["crond", "-f"]` handed to an entrypoint script (which runs it after its own steps, as root).
  const handed = firstProgram(cmd)
  if (entrypoint.length > 0 && handed !== undefined && CRON_DAEMON.test(handed)) return handed
  // Installed only: the entrypoint has to be a script, which may start it (`/entrypoint.sh`), and the
  // image serves nothing (no EXPOSE): a web app's script that also starts cron runs the app as root too.
  if (entrypoint.length === 0 || chain.some((i) => stages[i].body.some((x) => x.getKeyword() === 'EXPOSE'))) return undefined
  if (!entrypointScript(entrypoint)) return undefined
  for (const index of chain) {
    for (const ins of stages[index].body) {
      if (ins.getKeyword() !== 'RUN') continue
      for (const call of runs.get(ins)?.calls ?? []) {
        const pkg = osInstallWords(call)?.words.map((name) => name.split(/[=<>~]/)[0]).find((name) => CRON_DAEMON.test(name))
        if (pkg) return pkg
      }
    }
  }
  return undefined
}

/**
 * A per-user crontab file: `/var/spool/cron/crontabs/<user>` (busybox, Debian), `/var/spool/cron/<user>`
 * (cronie) or `/etc/crontabs/<user>` (Alpine's busybox crond, where `root`'s ships).
 */
const USER_CRONTAB = /(?:\/var\/spool\/cron\/(?:crontabs\/)?|\/etc\/crontabs\/)([A-Za-z_][\w.-]*)/g
const COPIED_USER_CRONTAB = /^(?:var\/spool\/cron\/(?:crontabs\/)?|etc\/crontabs\/)([A-Za-z_][\w.-]*)$/
/** The system crontabs, whose lines name the user of each job, and the folders cron or busybox's periodic run as root. */
const SYSTEM_CRONTAB = /\/etc\/(?:crontab|cron\.d)\b/
const ROOT_CRON_FOLDER = /\/etc\/(?:cron\.(?:hourly|daily|weekly|monthly)|periodic)\b/
/** The `crontab` command (not the `/etc/crontab` path), with what follows it up to the end of its command. */
const CRONTAB_COMMAND = /(?<![\w/.-])crontab(?![\w/.-])([^;&|\n]*)/g
/** A system crontab line in a quoted string: a schedule (five fields or `@daily`), then the user field. */
const SYSTEM_CRONTAB_LINE = /^\s*(?:@[a-z]+\s+|(?:[\d*/,-]+\s+){5})([A-Za-z_][\w.-]*)\s+\S/

/**
 * The users of the crontabs the image's Dockerfile writes, by RUN (a redirection into a per-user
 * crontab, `crontab -u <user>`, a system crontab line written with `echo`) or by COPY/ADD to a
 * per-user crontab; undefined when it writes none, or one whose user cannot be told (a crontab
 * copied into `/etc/cron.d`, a system crontab line not written out in the Dockerfile, a crontab
 * installed without `-u`, which is the build's user's, root).
 */
function crontabUsers(stages: Stage[], chain: number[], runs: ReadonlyMap<Instruction, RunShell>): string[] | undefined {
  const users: string[] = []
  for (const index of chain) {
    for (const ins of stages[index].body) {
      const keyword = ins.getKeyword()
      if (keyword === 'RUN') {
        const text = runs.get(ins)?.content ?? ''
        for (const m of text.matchAll(USER_CRONTAB)) users.push(m[1])
        for (const m of text.matchAll(CRONTAB_COMMAND)) {
          // `crontab -l` and `-r` list or remove; any other form installs a crontab for `-u`'s user or the build's.
          if (/(?:^|\s)-[lr]\b/.test(m[1])) continue
          users.push(/(?:^|\s)-u\s*(\S+)/.exec(m[1])?.[1] ?? 'root')
        }
        if (ROOT_CRON_FOLDER.test(text)) users.push('root')
        if (SYSTEM_CRONTAB.test(text)) {
          const lines = [...text.matchAll(/'([^']*)'|"([^"]*)"/g)].map((q) => SYSTEM_CRONTAB_LINE.exec(q[1] ?? q[2])?.[1]).filter((u) => u !== undefined)
          if (lines.length === 0) return undefined
          users.push(...lines)
        }
      } else if (keyword === 'COPY' || keyword === 'ADD') {
        const stage = { ...stages[index], body: [ins] }
        for (const path of copiedPaths(stage)) {
          const owner = COPIED_USER_CRONTAB.exec(path)?.[1]
          if (owner === undefined && /^etc\/(?:crontab|cron\.|periodic)/.test(path)) return undefined
          if (owner !== undefined) users.push(owner)
        }
      }
    }
  }
  // A folder, not a user's file (`/var/spool/cron/crontabs` itself): whose crontabs land there is not said.
  if (users.length === 0 || users.includes('crontabs')) return undefined
  return users
}

/** Every test suite named in a command, to look past a match inside a longer word. */
const TEST_SUITE_WORDS = new RegExp(TEST_SUITE_COMMAND.source, 'gi')

/** Files an image carries for others to take out, not programs: archives and app packages. */
const PACKAGE_FILE = /\.(?:apk|aab|ipa|jar|war|zip|tar|tgz|gz)$/i

/** A path as COPY destinations and commands write it, compared without a leading `/` or `./`. */
const plainPath = (path: string): string => path.replace(/^(?:\.\/|\/)+/, '')

/**
 * The paths a stage's COPY and ADD put files at: the destination, and the destination joined with
 * each source's base name (a directory destination).
 */
function copiedPaths(stage: Stage): Set<string> {
  const paths = new Set<string>()
  for (const ins of stage.body) {
    const keyword = ins.getKeyword()
    if (keyword !== 'COPY' && keyword !== 'ADD') continue
    const args = parseJsonArray((ins.getArgumentsContent() ?? '').trim()) ?? ins.getArguments().map((a) => a.getValue())
    if (args.length < 2) continue
    const destination = args[args.length - 1]
    paths.add(plainPath(destination))
    let directory = destination
    while (directory.endsWith('/')) directory = directory.slice(0, -1)
    for (const source of args.slice(0, -1)) paths.add(plainPath(`${directory}/${source.slice(source.lastIndexOf('/') + 1)}`))
  }
  return paths
}

/** A build-context source that is an application's code: the whole checkout or its `src` folder. */
const CONTEXT_SOURCE = /^(?:\.\/?|(?:\.\/)?src\/?)$/

/** Whether the image's stages COPY or ADD application source from the build context (`COPY . /app`, `ADD src /src`). */
function copiesContextSource(stages: Stage[], chain: number[]): boolean {
  return chain.some((i) =>
    stages[i].body.some((ins) => {
      const keyword = ins.getKeyword()
      if (keyword !== 'COPY' && keyword !== 'ADD') return false
      if (keyword === 'COPY' && copyFrom(ins as Copy) !== undefined) return false
      const args = parseJsonArray((ins.getArgumentsContent() ?? '').trim()) ?? ins.getArguments().map((a) => a.getValue())
      return args.slice(0, -1).some((source) => !source.startsWith('--') && CONTEXT_SOURCE.test(source))
    })
  )
}

/**
 * Whether the image is a scratch image that only carries files: it sets no command, or its
 * command's program is an archive or app package it copied in (`ENTRYPOINT ["/app.apk"]`, for
 * `docker build --output`). Scratch has no shell or runtime, so nothing in it can run.
 */
function isDataImage(stages: Stage[], chain: number[], command: () => ImageCommand): boolean {
  const root = stages[chain[chain.length - 1]]
  if (root.image === undefined || imageBaseName(root.image) !== 'scratch') return false
  const { entrypoint, cmd } = command()
  const started = entrypoint.length > 0 ? entrypoint : cmd
  if (started.length === 0) return true
  const program = started[0]
  return PACKAGE_FILE.test(program) && chain.some((i) => copiedPaths(stages[i]).has(plainPath(program)))
}

/**
 * The test suite the image's command runs (`cypress run`, `pytest`, `npm test`), when it exposes no
 * port: a one-shot test runner, which starts, runs the suite and exits.
 */
function testRunnerCommand(stages: Stage[], chain: number[], started: ImageCommand): string | undefined {
  if (chain.some((i) => stages[i].body.some((x) => x.getKeyword() === 'EXPOSE'))) return undefined
  const command = started.all.join(' ')
  // Whole words of the command only: `/usr/bin/tox-server` is no `tox`.
  for (const m of command.matchAll(TEST_SUITE_WORDS)) {
    const before = command[m.index - 1]
    const after = command[m.index + m[0].length]
    if ((before === undefined || before === ' ' || before === '/') && (after === undefined || after === ' ' || after === ':')) return m[0].replace(/\s+/g, ' ')
  }
  return undefined
}

/**
 * Programs a packaging container's command may run: making a folder, and moving or copying files
 * into it. Not `rsync`, whose `--daemon` is a server.
 */
const FILE_STEPS = new Set(['mkdir', 'mv', 'cp'])
const COPY_STEPS = new Set(['mv', 'cp'])

/**
 * Whether an instruction gives the image a command or a port: EXPOSE, or a CMD or ENTRYPOINT other
 * than an empty one (`CMD []`, `ENTRYPOINT []`), which clears the base image's command rather than
 * setting one.
 */
function setsCommandOrExposes(x: Instruction): boolean {
  const keyword = x.getKeyword()
  if (keyword === 'EXPOSE') return true
  if (keyword !== 'CMD' && keyword !== 'ENTRYPOINT') return false
  return parseJsonArray((x.getArgumentsContent() ?? '').trim())?.length !== 0
}

/**
 * The copy step of a command that only moves or copies files (`mkdir -p /output/ && mv lambda.zip
 * /output/`), when the image exposes no port: a one-off packaging container, run to hand its build
 * output to a mounted folder, which exits once it has.
 */
function packagingCommand(stages: Stage[], chain: number[], started: ImageCommand): string | undefined {
  if (chain.some((i) => stages[i].body.some((x) => x.getKeyword() === 'EXPOSE'))) return undefined
  let words = started.all
  if (words.length > 2 && SHELL_C.test(words[0]) && words[1] === '-c') words = words.slice(2)
  const command = words.join(' ')
  // `||`, a pipe, a background job, a redirection or a substitution can start something else.
  if (/[|&<>`$()]/.test(command.replace(/&&/g, ''))) return undefined
  const steps = command.split(/&&|;/).map((step) => step.trim().split(/\s+/).filter((w) => w !== ''))
  if (steps.some((step) => step.length < 2 || !FILE_STEPS.has(step[0]))) return undefined
  return steps.find((step) => COPY_STEPS.has(step[0]))?.join(' ')
}

/** `command` gives the image's ENTRYPOINT and CMD, read once for every check that asks (`imageCommand`). */
export function checkUser(ctx: Context, stages: Stage[], chain: number[], runs: ReadonlyMap<Instruction, RunShell>, command: () => ImageCommand): void {
  for (const index of chain) {
    const users = stages[index].body.filter((i) => i.getKeyword() === 'USER')
    const last = users[users.length - 1]
    if (last) {
      const user = (last.getArgumentsContent() ?? '').trim()
      if (!isRootUser(user)) return
      // A cron image's daemon has to be root; what matters is the user each job runs as.
      const started = command()
      const cron = cronDaemon(stages, chain, runs, started)
      const owners = cron ? crontabUsers(stages, chain, runs) : undefined
      // The daemon is the first program the container runs (past an init wrapper): an entrypoint
      // script run before `CMD crond` runs as root too, and what it does is not read here.
      const startsDaemon = cron !== undefined && firstProgram(started.all) === cron
      const exposes = chain.some((i) => stages[i].body.some((x) => x.getKeyword() === 'EXPOSE'))
      // `USER root` for an entrypoint that drops privileges itself.
      const stepDown = cron ? undefined : stepDownMessage(stages, chain, runs, started, 'the final image runs as `root` (last USER)')
      if (cron && startsDaemon && !exposes && owners !== undefined && owners.every((u) => !isRootUser(u))) {
        const names = [...new Set(owners)].map((u) => `\`${u}\``).join(', ')
        emit(
          ctx,
          R.rootUser,
          span(last).line,
          `the final image runs as \`root\` (last USER) to run \`${cron}\`, a cron daemon that needs root to start each job as its crontab's user; every crontab this Dockerfile writes belongs to a non-root user (${names}) and the image exposes no port, so root holds only the daemon, which listens on nothing (low)`,
          { severity: 'low' }
        )
      } else if (cron) {
        emit(ctx, R.rootUser, span(last).line, `the final image runs as \`root\` (last USER) to run \`${cron}\`, a cron daemon that needs root to start each job as its crontab's user; check that every job names an unprivileged user or drops to one (\`gosu\`, \`su-exec\`)`, { severity: 'medium' })
      } else if (stepDown !== undefined) {
        emit(ctx, R.rootUser, span(last).line, `${stepDown} (low)`, { severity: 'low' })
      } else if (isBaseImage(ctx.file.path, stages, chain)) {
        emit(ctx, R.rootUser, span(last).line, `the final image runs as \`root\` (last USER), but it is a base image (named \`base\` by its path, with no CMD, ENTRYPOINT or EXPOSE of its own): what runs is an image built on it, whose own USER decides; check that those set one (low)`, { severity: 'low' })
      } else {
        emit(ctx, R.rootUser, span(last).line, 'the final image runs as `root` (last USER)')
      }
      return
    }
  }
  const rootStage = stages[chain[chain.length - 1]]
  const base = rootStage.image
  const line = span(stages[stages.length - 1].from).line
  const setsCommandOrPort = chain.some((i) => stages[i].body.some(setsCommandOrExposes))
  // Distroless and similar images whose tag says they already run unprivileged.
  if (base !== undefined && (/nonroot|non-root|rootless/i.test(base) || isLambdaBase(base))) return
  // A scratch image that only carries files (for other images to COPY --from, or to export): nothing runs in it.
  if (isDataImage(stages, chain, command)) return
  // A toolchain image that sets no command and exposes nothing builds something (binaries taken out
  // with `docker cp`, or a later stage's input): nothing in it says a container of it serves anything.
  if (isBuildImage(base ?? rootStage.from.getImage() ?? '') && !setsCommandOrPort) {
    emit(ctx, R.noUser, line, 'the final stage sets no USER, but it is a build image: a toolchain base with no CMD, ENTRYPOINT or EXPOSE of its own, so nothing in it runs as a service', { severity: 'info' })
    return
  }
  // A toolbox image (CLIs on a runtime or OS base) sets no command and exposes nothing: what runs in
  // it is what `docker run` or a CI job names, usually a one-off command rather than a service. One
  // that copies the checkout in (`COPY . /app`) is an application image whose command compose or a
  // Kubernetes manifest gives: not a toolbox.
  if (base !== undefined && isRuntimeOrOsBase(base) && !copiesContextSource(stages, chain) && !setsCommandOrPort) {
    emit(
      ctx,
      R.noUser,
      line,
      `the final stage sets no USER, so the container runs as root for \`${imagePath(base)}\`, but it is a toolbox image: a language-runtime or OS base with no CMD, ENTRYPOINT or EXPOSE of its own, so what runs in it is the command whoever starts it gives (\`docker run\`, a CI job; an empty \`CMD []\` or \`ENTRYPOINT []\` sets none); check that nothing runs a long-lived service in it (low)`,
      { severity: 'low' }
    )
    return
  }
  const hasRun = chain.some((i) => stages[i].body.some((x) => x.getKeyword() === 'RUN'))
  // Only where the verdict would be root: an image that picks its own user stays info.
  const stepDown = (base !== undefined && isRootBase(base)) || hasRun ? stepDownMessage(stages, chain, runs, command()) : undefined
  if (stepDown) {
    emit(ctx, R.noUser, line, stepDown, { severity: 'low' })
    return
  }
  const rootFor = base !== undefined && isRootBase(base) ? `root for \`${imagePath(base)}\`` : hasRun ? 'usually root' : undefined
  // A test runner starts, runs its suite against other services and exits: nothing listens in it.
  const suite = rootFor !== undefined ? testRunnerCommand(stages, chain, command()) : undefined
  if (suite !== undefined) {
    emit(ctx, R.noUser, line, `the final stage sets no USER, so the container runs as the base image user (${rootFor}), but it is a one-shot test runner: its command runs \`${suite}\` and it exposes no port`, { severity: 'low' })
    return
  }
  // A packaging container copies its build output out to a mounted folder and exits: nothing listens in it.
  const copy = rootFor !== undefined ? packagingCommand(stages, chain, command()) : undefined
  if (copy !== undefined) {
    emit(ctx, R.noUser, line, `the final stage sets no USER, so the container runs as the base image user (${rootFor}), but it is a one-off packaging container: its command only moves or copies files (\`${copy}\`) and it exposes no port, so it hands its build output to a mounted folder and exits`, { severity: 'low' })
    return
  }
  if (base !== undefined && isRootBase(base)) {
    emit(ctx, R.noUser, line, `the final stage sets no USER, so the container runs as the base image user, root for \`${imagePath(base)}\``)
    return
  }
  // A RUN step needs the base user's rights over the filesystem, which usually means root.
  if (hasRun) {
    emit(ctx, R.noUser, line, 'the final stage sets no USER, so the container runs as the base image user (usually root)')
    return
  }
  // Built on an image that picks its own user, adding only files or settings: the user is inherited, and may well be unprivileged.
  const from = base === undefined ? `\`${rootStage.from.getImage() ?? ''}\` (named through a build argument this file gives no default)` : `\`${base}\``
  emit(ctx, R.noUser, line, `the final stage sets no USER and has no RUN step, so the container runs as whatever user ${from} sets; check that it is not root`, {
    severity: 'info'
  })
}

/**
 * Base images whose own command is a shell or an interpreter's prompt, not a service: an image
 * built on one that sets no CMD, ENTRYPOINT or EXPOSE of its own runs whatever `docker run` is
 * given (a code generator, a migration, a build tool), and there is no service to probe.
 */
const SHELL_BASES = new Set([
  'scratch', 'alpine', 'busybox', 'debian', 'ubuntu', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux',
  'node', 'python', 'golang', 'rust', 'ruby', 'perl', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'gcc', 'buildpack-deps', 'bash'
])

export function checkHealthcheck(ctx: Context, stages: Stage[], chain: number[], command: () => ImageCommand): void {
  const finalStage = stages[stages.length - 1]
  const body = chain.flatMap((i) => stages[i].body)
  const baseImage = stages[chain[chain.length - 1]].image
  if (body.some((i) => i.getKeyword() === 'HEALTHCHECK')) return
  // Files only (an exported app package): no process to probe.
  if (!body.some((i) => i.getKeyword() === 'EXPOSE') && isDataImage(stages, chain, command)) return
  const runsSomething = body.some((i) => ['CMD', 'ENTRYPOINT', 'EXPOSE'].includes(i.getKeyword()))
  if (!runsSomething && baseImage !== undefined && SHELL_BASES.has(imageBaseName(baseImage))) return
  if (isLambdaBase(baseImage)) return
  emit(ctx, R.noHealthcheck, span(finalStage.from).line, 'the final image defines no HEALTHCHECK')
}

const SIMPLE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/

/**
 * `CMD [python, app.py]` or `CMD ['node', 'app.js']`: brackets that are not a JSON array (strings
 * need double quotes) make Docker take the whole text as a shell command, which starts with the
 * `[` test builtin and exits at once. A finding of the same rule, raised above its low default.
 */
function brokenExecForm(ctx: Context, instruction: Instruction, keyword: string, content: string, execEntrypoint: boolean): void {
  const { line, endLine } = span(instruction)
  const items = content.slice(1, -1).split(',').map((w) => w.trim().replace(/^(['"])(.*)\1$/, '$2'))
  const text = ctx.lines[line - 1] ?? ''
  const indent = /^\s*/.exec(text)?.[0] ?? ''
  const simple = line === endLine && items.every((w) => SIMPLE_WORD.test(w)) && new RegExp(`^\\s*${keyword}\\s`, 'i').test(text)
  const suggestion = simple ? `${indent}${keyword} [${items.map((w) => JSON.stringify(w)).join(', ')}]` : undefined
  // Under an exec-form ENTRYPOINT a shell-form CMD is not run: it becomes the entrypoint's arguments.
  const effect =
    keyword === 'CMD' && execEntrypoint
      ? 'so the entrypoint receives `/bin/sh -c` and that text as its arguments instead of the intended words'
      : 'so Docker runs the text as a shell command starting with `[` and the container exits at once'
  emit(ctx, R.execFormNotJson, line, `${keyword} looks like the exec form but is not a JSON array (each item needs double quotes), ${effect}`, { endLine, suggestion })
}

/**
 * An instruction's arguments as Docker reads them: comment lines inside a continued instruction
 * are dropped (the parser keeps them in the arguments it returns).
 */
function argumentsWithoutComments(ctx: Context, instruction: Instruction, keyword: string): string {
  const content = (instruction.getArgumentsContent() ?? '').trim()
  if (!content.includes('\n')) return content
  const { line, endLine } = span(instruction)
  const source = ctx.lines.slice(line - 1, endLine).filter((l, i) => i === 0 || !/^\s*#/.test(l))
  return source
    .map((l) => l.replace(/\\\s*$/, ''))
    .join(' ')
    .replace(new RegExp(`^\\s*${keyword}\\s+`, 'i'), '')
    .trim()
}

/**
 * The ENTRYPOINT or CMD that takes effect: the last one of the nearest stage of the chain (final
 * stage first) that sets one; an ancestor's is overridden.
 */
/** A path naming a base image: `base/Dockerfile`, `images/python-base/Dockerfile`, `Dockerfile.base`, `base.Dockerfile`. */
const BASE_IMAGE_PATH = /(?:^|\/)(?:[A-Za-z0-9.]+[-_])*base\/Dockerfile$|(?:^|\/)(?:Dockerfile[-_.]base|base[-_.]Dockerfile)$/i
/**
 * Operating system and language runtime images, whose own CMD is a shell or a REPL and which
 * expose nothing: an image built on one adds what runs. Another image (`nginx`) brings a server
 * and its port along, so what is built on it runs already.
 */
const BARE_IMAGES = new Set([
  'ubi', 'ubi-minimal', 'ubi-micro', 'ubi8', 'ubi9', 'ubuntu', 'debian', 'alpine', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux',
  'busybox', 'photon', 'archlinux', 'opensuse', 'leap', 'python', 'node', 'golang', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'ruby'
])

/**
 * Whether the Dockerfile builds a base image other images build on rather than one that runs:
 * its folder or file is named `base`, its first stage starts from an operating system or language
 * runtime image, and its final stage (with the stages it builds on) sets no CMD, ENTRYPOINT or
 * EXPOSE, so nothing says what it would run or serve.
 */
function isBaseImage(path: string, stages: Stage[], chain: number[]): boolean {
  if (!BASE_IMAGE_PATH.test(path)) return false
  const root = stages[chain[chain.length - 1]!]?.image
  if (root === undefined || !BARE_IMAGES.has(imageBaseName(root))) return false
  return !['CMD', 'ENTRYPOINT', 'EXPOSE'].some((keyword) => effective(stages, chain, keyword) !== undefined)
}

function effective(stages: Stage[], chain: number[], keyword: string): Instruction | undefined {
  for (const index of chain) {
    const matching = stages[index].body.filter((i) => i.getKeyword() === keyword)
    if (matching.length > 0) return matching[matching.length - 1]
  }
  return undefined
}

export function checkCommandForm(ctx: Context, stages: Stage[], chain: number[]): void {
  const entrypoint = effective(stages, chain, 'ENTRYPOINT')
  const entrypointArgs = entrypoint && argumentsWithoutComments(ctx, entrypoint, 'ENTRYPOINT')
  const entrypointArray = entrypointArgs !== undefined ? parseJsonArray(entrypointArgs) : undefined
  // `ENTRYPOINT []` clears it; a shell-form ENTRYPOINT never reads CMD.
  const execEntrypoint = entrypointArray !== undefined && entrypointArray.length > 0
  const shellEntrypoint = entrypointArgs !== undefined && entrypointArgs !== '' && entrypointArray === undefined && !entrypointArgs.startsWith('[')
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const last = effective(stages, chain, keyword)
    if (!last) continue
    const content = argumentsWithoutComments(ctx, last, keyword)
    if (content === '' || parseJsonArray(content)) continue
    if (content.startsWith('[') && content.endsWith(']')) {
      if (keyword === 'CMD' && shellEntrypoint) continue
      brokenExecForm(ctx, last, keyword, content, execEntrypoint)
      continue
    }
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

export function checkExposedPorts(ctx: Context, body: Instruction[]): void {
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

export function checkCaches(ctx: Context, body: Instruction[], runs: ReadonlyMap<Instruction, RunShell>): void {
  const pipCacheOff = body.some(
    (i) => i.getKeyword() === 'ENV' && (i as Env).getProperties().some((p) => p.getName() === 'PIP_NO_CACHE_DIR' && /^(1|true|yes|on|off|0|false)$/i.test(p.getValue() ?? ''))
  )
  for (const ins of body.filter((i) => i.getKeyword() === 'RUN')) {
    const run = ins as Run
    if (run.getFlags().some((f) => f.getName() === 'mount' && /type=cache/.test(f.getValue() ?? ''))) continue
    const shell = runs.get(run)
    const calls = shell?.calls ?? []
    const raw = shell?.content ?? run.getArgumentsContent() ?? ''
    const { line, endLine } = span(run)

    const aptInstall = calls.some((c) => (c.program === 'apt-get' || c.program === 'apt') && aptInstallPackages(c.args) !== undefined)
    // `apt-get dist-clean` (apt 2.7+) removes the lists as well as the archives.
    const aptCleaned = /\/var\/lib\/apt\/lists/.test(raw) || calls.some((c) => (c.program === 'apt-get' || c.program === 'apt') && (c.args.includes('clean') || c.args.includes('dist-clean')))
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
