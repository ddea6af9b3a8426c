/** What package-manager commands install and upgrade: the words of apt, apk, yum/dnf, zypper, gem, pip and npm. */
import type { RuleMeta } from '../../types.js'
import { positionals, type Invocation } from '../parse/shell-words.js'
import { R } from './meta.js'

// ── Package managers ────────────────────────────────────────────────────────────────────────

const APT_OPTS_WITH_ARG = new Set(['-o', '--option', '-c', '--config-file', '--default-release'])
export const APK_OPTS_WITH_ARG = new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file'])
export const YUM_OPTS_WITH_ARG = new Set(['-c', '--config', '--installroot', '--releasever', '-x', '--exclude', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--setopt', '--downloaddir', '-d', '--debuglevel', '-e', '--errorlevel'])
const PIP_OPTS_WITH_ARG = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '-t', '--target', '--prefix', '--root', '--src', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi',
  '--progress-bar', '--cache-dir', '--log', '--global-option', '--install-option', '-C', '--config-settings', '--upgrade-strategy',
  '--only-binary', '--no-binary', '--timeout', '--retries', '--proxy', '--cert', '--client-cert', '--exists-action', '--report', '--python'
])
const GEM_OPTS_WITH_ARG = new Set(['-i', '--install-dir', '-n', '--bindir', '-s', '--source', '--platform', '-P', '--trust-policy', '--document', '-g', '--file', '--build-root', '--target-rbconfig'])
const ZYPPER_OPTS_WITH_ARG = new Set(['-t', '--type', '-r', '--repo', '--from', '-R', '--root', '--installroot', '-c', '--config', '-D', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir', '--pkg-cache-dir'])
const NPM_OPTS_WITH_ARG = new Set(['--prefix', '--registry', '--cache', '--userconfig', '--omit', '--include', '--tag', '-w', '--workspace', '--loglevel'])

interface Unpinned {
  meta: RuleMeta
  tool: string
  names: string[]
}

/**
 * The words naming packages in an OS package manager's install command (apt, apk, yum and kin,
 * zypper), options and their arguments left out, with the manager; undefined for anything else.
 */
export function osInstallWords(call: Invocation): { manager: 'apt' | 'apk' | 'yum' | 'zypper'; words: string[] } | undefined {
  const { program, args } = call
  if (program === 'apt-get' || program === 'apt' || program === 'aptitude') {
    const words = aptInstallPackages(args)
    return words ? { manager: 'apt', words } : undefined
  }
  if (program === 'apk') {
    const [sub, ...rest] = positionals(args, APK_OPTS_WITH_ARG)
    return sub === 'add' ? { manager: 'apk', words: rest } : undefined
  }
  if (program === 'yum' || program === 'dnf' || program === 'microdnf') {
    const [sub, ...rest] = positionals(args, YUM_OPTS_WITH_ARG)
    return sub === 'install' ? { manager: 'yum', words: rest } : undefined
  }
  if (program === 'zypper') {
    const [sub, ...rest] = positionals(args, ZYPPER_OPTS_WITH_ARG)
    return sub === 'install' || sub === 'in' ? { manager: 'zypper', words: rest } : undefined
  }
  return undefined
}

/** The packages an install command names without a version, with the rule that covers it. */
export function unpinnedPackages(call: Invocation): Unpinned | undefined {
  const { program, args } = call
  const os = osInstallWords(call)
  if (os?.manager === 'apt') {
    const names = os.words.filter((p) => !p.includes('=') && !isFileOrVariable(p) && !p.endsWith('.deb'))
    return names.length ? { meta: R.aptUnpinned, tool: `${program} install`, names } : undefined
  }
  if (os?.manager === 'apk') {
    const names = os.words.filter((p) => !/[=<>~]/.test(p) && !isFileOrVariable(p) && !p.endsWith('.apk'))
    return names.length ? { meta: R.apkUnpinned, tool: 'apk add', names } : undefined
  }
  if (os?.manager === 'yum') {
    // `RPMS/noarch/*`: rpm files built earlier, by path (a repository package name holds no slash).
    const names = os.words.filter((p) => !/-\d|[=<>]/.test(p) && !isFileOrVariable(p) && !p.endsWith('.rpm') && !p.startsWith('@') && !p.includes('/'))
    return names.length ? { meta: R.yumUnpinned, tool: `${program} install`, names } : undefined
  }
  if (os?.manager === 'zypper') {
    // `-t pattern` (or patch, product): the names are not packages and take no version.
    const type = args.findIndex((a) => a === '-t' || a === '--type')
    if (type >= 0 && args[type + 1] !== 'package') return undefined
    // A version pins when it ends the name (`vim-9.0.1`); `java-17-openjdk` is a name.
    const names = os.words.filter((p) => !/-\d[\w.+~]*$|[=<>]/.test(p) && !isFileOrVariable(p) && !p.endsWith('.rpm'))
    return names.length ? { meta: R.zypperUnpinned, tool: 'zypper install', names } : undefined
  }
  if (program === 'gem') {
    const [sub, ...rest] = positionals(args, GEM_OPTS_WITH_ARG)
    if (sub !== 'install' && sub !== 'i') return undefined
    // `-v 2.5.6` (or `--version`) pins the gems of the command; `rails:7.1.3` pins one.
    if (args.some((a) => a === '-v' || a === '--version' || a.startsWith('--version='))) return undefined
    const names = rest.filter((p) => !p.includes(':') && !isFileOrVariable(p) && !p.endsWith('.gem') && !/^(-v|--version)$/.test(p))
    return names.length ? { meta: R.gemUnpinned, tool: 'gem install', names } : undefined
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
export function aptInstallPackages(args: string[]): string[] | undefined {
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
export function pipInstallArgs(call: Invocation): string[] | undefined {
  let args = call.args
  if (/^python[\d.]*$/.test(call.program)) {
    const m = args.indexOf('-m')
    if (m === -1 || args[m + 1] !== 'pip') return undefined
    args = args.slice(m + 2)
  } else if (!/^pip[\d.]*$/.test(call.program)) return undefined
  const sub = args.findIndex((a) => !a.startsWith('-'))
  return sub !== -1 && args[sub] === 'install' ? args.slice(sub + 1) : undefined
}

/** A constraints file (`-c f`, `--constraint f`, `--constraint=f`) fixes the versions of the names it lists. */
const PIP_CONSTRAINT = /^(-c|--constraint)(=.+|(?<=^-c).+)?$/

function pipUnpinnedNames(args: string[]): string[] {
  // Versions come from the constraints file: a bare name is then the pinned form.
  if (args.some((a) => PIP_CONSTRAINT.test(a))) return []
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

export function isNpmInstallWithoutPackages(call: Invocation): boolean {
  if (call.program !== 'npm') return false
  const [sub, ...rest] = positionals(call.args, NPM_OPTS_WITH_ARG)
  if (!sub || !['install', 'i', 'isntall'].includes(sub)) return false
  const global = call.args.includes('-g') || call.args.includes('--global')
  return rest.length === 0 && !global
}

export function upgradeCommand(call: Invocation): string | undefined {
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
