/** The one judgement of a privileged init container that only sets kernel parameters with fixed `sysctl -w` commands. */
import { fixedSysctlParameters, sysctlClause, sysctlImageAccepted } from '../src/rules/node-sysctl.js'

describe('fixedSysctlParameters: the parameters a command sets when fixed sysctl -w commands are all it runs', () => {
  it.each<[string[], string[], string[]]>([
    [['sysctl', '-w', 'vm.max_map_count=262144'], [], ['vm.max_map_count']],
    [['/usr/sbin/sysctl'], ['-w', 'vm/max_map_count=262144', 'VM.Swappiness=1'], ['vm.max_map_count', 'vm.swappiness']],
    [['sh', '-c', 'sysctl -w vm.max_map_count=262144 && sysctl -qw fs.inotify.max_user_watches=524288'], [], ['vm.max_map_count', 'fs.inotify.max_user_watches']],
    [['/bin/bash', '-ec'], ['sysctl -w net.ipv4.ip_local_port_range="1024 65535"\nsysctl -w kernel.shmmax=68719476736;'], ['net.ipv4.ip_local_port_range', 'kernel.shmmax']],
    [['sh', '-c', "sysctl --write 'vm.max_map_count=262144'; sysctl -w vm.max_map_count=262144"], [], ['vm.max_map_count']],
    [['sysctl', '-w', 'net.core.rmem_max=16777216', 'net.ipv4.tcp_keepalive_time=600', 'fs.mqueue.msg_max=100', 'vm.dirty_ratio=10'], [], ['net.core.rmem_max', 'net.ipv4.tcp_keepalive_time', 'fs.mqueue.msg_max', 'vm.dirty_ratio']]
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
    ['a name that is not a parameter', ['sysctl', '-w', 'vm..max=1'], []],
    // Host protections under net.* and vm.*: none is a resource size, so none is accepted.
    ['BPF JIT hardening off', ['sysctl', '-w', 'net.core.bpf_jit_harden=0'], []],
    ['the BPF JIT switched', ['sysctl', '-w', 'net.core.bpf_jit_enable=1'], []],
    ['userfaultfd for unprivileged users', ['sysctl', '-w', 'vm.unprivileged_userfaultfd=1'], []],
    ['routing switched on', ['sysctl', '-w', 'net.ipv4.ip_forward=1'], []],
    ['reverse-path filtering off', ['sysctl', '-w', 'net.ipv4.conf.all.rp_filter=0'], []],
    ['SYN cookies off', ['sysctl', '-w', 'net.ipv4.tcp_syncookies=0'], []],
    ['symlink protection off', ['sysctl', '-w', 'fs.protected_symlinks=0'], []],
    ['an unlisted vm parameter', ['sysctl', '-w', 'vm.panic_on_oom=1'], []],
    ['one refused parameter among accepted ones', ['sysctl', '-w', 'vm.max_map_count=262144', 'net.core.bpf_jit_harden=0'], []]
  ])('%s: undefined', (_what, command, args) => {
    expect(fixedSysctlParameters(command, args)).toBeUndefined()
  })
})

describe('sysctlImageAccepted: whose sysctl a privileged init container may run and stay medium', () => {
  it.each([
    'busybox',
    'busybox:1.36',
    'docker.io/library/alpine:3.20',
    'index.docker.io/debian:12',
    'public.ecr.aws/docker/library/busybox:1.36',
    'mirror.gcr.io/ubuntu:24.04',
    'registry.k8s.io/e2e-test-images/busybox:1.29',
    'registry.access.redhat.com/ubi9/ubi-minimal:9.4',
    'public.ecr.aws/amazonlinux/amazonlinux:2023',
    'ghcr.io/someone/tools@sha256:' + 'a'.repeat(64),
    'ghcr.io/someone/tools:1.0@sha256:' + '0123456789abcdef'.repeat(4)
  ])('%s: accepted', (image) => {
    expect(sysctlImageAccepted(image)).toBe(true)
  })

  it.each([
    ['a third-party repository pinned by a tag', 'ghcr.io/someone/tools:1.0'],
    ['a Docker Hub user repository', 'someone/sysctl:latest'],
    ['a private registry with a bare name', 'registry.example.com/busybox:1.36'],
    ['a private registry with a library folder', 'registry.example.com/library/busybox:1.36'],
    ['a digest that is no sha256', 'ghcr.io/someone/tools@sha256:abc'],
    ['a path under a distribution registry outside its base images', 'registry.access.redhat.com/rhel9/postgresql-15:1'],
    ['a template action', '{{ .Values.image }}'],
    ['a backquote', 'busybox`x'],
    ['no image', undefined],
    ['an empty image', '']
  ])('%s (%s): refused', (_what, image) => {
    expect(sysctlImageAccepted(image)).toBe(false)
  })
})

describe('sysctlClause: what the message says', () => {
  it('names the image, says node-wide parameters cannot go in the pod, and names at most four', () => {
    expect(sysctlClause(['vm.max_map_count'], ['busybox'])).toBe(
      "only sets `vm.max_map_count` with a fixed `sysctl -w` from image `busybox` and exits before the app starts, node-wide parameters that the pod's `securityContext.sysctls` cannot set"
    )
    expect(sysctlClause(['vm.swappiness', 'vm.dirty_ratio', 'fs.file-max', 'fs.nr_open', 'kernel.pid_max', 'net.core.rmem_max'], ['a:1', 'b:2'])).toMatch(
      /^only sets `vm\.swappiness`, `vm\.dirty_ratio`, `fs\.file-max`, `fs\.nr_open` and 2 more with a fixed `sysctl -w` from images `a:1`, `b:2` and exits before the app starts, node-wide parameters/
    )
  })

  it('points only the namespaced parameters at the pod security context, with the kubelet caveat', () => {
    expect(sysctlClause(['vm.max_map_count', 'net.core.somaxconn', 'net.core.rmem_max'], ['busybox'])).toMatch(
      /; `net\.core\.somaxconn` belongs to the pod's own network or IPC namespace, which its `securityContext\.sysctls` can set without privilege \(once the kubelet allows it with `--allowed-unsafe-sysctls` when Kubernetes does not count it safe\)$/
    )
  })

  it('claims nothing for a parameter namespaced only in some kernels', () => {
    expect(sysctlClause(['vm.max_map_count', 'net.netfilter.nf_conntrack_max'], ['busybox'])).toBe('only sets `vm.max_map_count`, `net.netfilter.nf_conntrack_max` with a fixed `sysctl -w` from image `busybox` and exits before the app starts')
  })
})
