/** The one judgement of a privileged init container that only sets kernel parameters with fixed `sysctl -w` commands. */
import { fixedSysctlParameters, sysctlClause } from '../src/rules/node-sysctl.js'

describe('fixedSysctlParameters: the parameters a command sets when fixed sysctl -w commands are all it runs', () => {
  it.each<[string[], string[], string[]]>([
    [['sysctl', '-w', 'vm.max_map_count=262144'], [], ['vm.max_map_count']],
    [['/usr/sbin/sysctl'], ['-w', 'vm/max_map_count=262144', 'VM.Swappiness=1'], ['vm.max_map_count', 'vm.swappiness']],
    [['sh', '-c', 'sysctl -w vm.max_map_count=262144 && sysctl -qw fs.inotify.max_user_watches=524288'], [], ['vm.max_map_count', 'fs.inotify.max_user_watches']],
    [['/bin/bash', '-ec'], ['sysctl -w net.ipv4.ip_local_port_range="1024 65535"\nsysctl -w kernel.shmmax=68719476736;'], ['net.ipv4.ip_local_port_range', 'kernel.shmmax']],
    [['sh', '-c', "sysctl --write 'vm.max_map_count=262144'; sysctl -w vm.max_map_count=262144"], [], ['vm.max_map_count']]
  ])('%j %j → %j', (command, args, keys) => {
    expect(fixedSysctlParameters(command, args)).toEqual(keys)
  })

  it.each<[string, string[], string[]]>([
    ['no command: the image entrypoint runs the args', [], ['sysctl', '-w', 'vm.max_map_count=262144']],
    ['a read', ['sysctl', 'vm.max_map_count'], []],
    ['no -w', ['sysctl', 'vm.max_map_count=262144'], []],
    ['-w with nothing to set', ['sysctl', '-w'], []],
    ['another program', ['sysctl-tune', '-w', 'vm.max_map_count=262144'], []],
    ['a script file', ['sh', '-c', '/scripts/sysctl.sh'], []],
    ['a shell given more words than its script', ['sh', '-c', 'sysctl -w vm.max_map_count=1', 'extra'], []],
    ['a pipe', ['sh', '-c', 'sysctl -w vm.max_map_count=262144 | cat'], []],
    ['a background job', ['sh', '-c', 'sysctl -w vm.max_map_count=262144 & sleep 1'], []],
    ['||', ['sh', '-c', 'sysctl -w vm.max_map_count=262144 || true'], []],
    ['a substitution', ['sh', '-c', 'sysctl -w vm.max_map_count=$COUNT'], []],
    ['a substitution in double quotes', ['sh', '-c', 'sysctl -w "vm.max_map_count=$(cat /n)"'], []],
    ['backquotes', ['sh', '-c', 'sysctl -w vm.max_map_count=`cat /n`'], []],
    ['a redirection', ['sh', '-c', 'sysctl -w vm.max_map_count=262144 >/dev/null'], []],
    ['a subshell', ['sh', '-c', '(sysctl -w vm.max_map_count=262144)'], []],
    ['a comment', ['sh', '-c', 'sysctl -w vm.max_map_count=262144 # tune'], []],
    ['an unclosed quote', ['sh', '-c', "sysctl -w 'vm.max_map_count=262144"], []],
    ['another command chained', ['sh', '-c', 'sysctl -w vm.max_map_count=262144 && ./start'], []],
    ['set -e first', ['sh', '-c', 'set -e; sysctl -w vm.max_map_count=262144'], []],
    ['an empty script', ['sh', '-c', ' ; '], []],
    ['a parameter that runs a program', ['sysctl', '-w', 'kernel.core_pattern=core'], []],
    ['the module loader path', ['sysctl', '-w', 'kernel.modprobe=/tmp/x'], []],
    ['a lowered host protection', ['sysctl', '-w', 'vm.mmap_min_addr=0'], []],
    ['a kernel parameter outside the list', ['sysctl', '-w', 'kernel.randomize_va_space=0'], []],
    ['a value with a pipe character (quoted)', ['sh', '-c', "sysctl -w 'net.core.somaxconn=1|2'"], []],
    ['a name that is not a parameter', ['sysctl', '-w', 'vm..max=1'], []]
  ])('%s: undefined', (_what, command, args) => {
    expect(fixedSysctlParameters(command, args)).toBeUndefined()
  })
})

describe('sysctlClause: what the message says', () => {
  it('says node-wide parameters cannot go in the pod, and names at most four', () => {
    expect(sysctlClause(['vm.max_map_count'])).toBe("only sets `vm.max_map_count` with a fixed `sysctl -w` and exits before the app starts, node-wide parameters that the pod's `securityContext.sysctls` cannot set")
    expect(sysctlClause(['vm.a', 'vm.b', 'vm.c', 'vm.d', 'vm.e', 'vm.f'])).toMatch(/^only sets `vm\.a`, `vm\.b`, `vm\.c`, `vm\.d` and 2 more with/)
  })

  it('points namespaced parameters at the pod security context', () => {
    expect(sysctlClause(['vm.max_map_count', 'net.core.somaxconn'])).toMatch(/; network and IPC parameters can go in the pod's `securityContext.sysctls` instead, without privilege$/)
  })
})
