import { posix } from 'node:path';

// What one sandboxed process tree may see. Every path is absolute and already resolved (no
// symlink in it), so the same string names the same directory before and after pivot_root.
export interface SandboxView {
  // An empty directory of the harness's, made the new root's mount point.
  readonly root: string;
  // Visible read-write: the lane's own workspace and nothing else.
  readonly writable: readonly string[];
  // Visible read-only even where they lie under a hidden path: what the command needs to run.
  readonly readable: readonly string[];
  // Covered by an empty read-only tmpfs: homes, the run directory, host sockets under /run.
  readonly hidden: readonly string[];
  // Covered by an empty writable tmpfs private to the sandbox: /tmp and the like.
  readonly scratch: readonly string[];
  readonly cwd: string;
}

export interface SandboxTools {
  readonly mount: string;
  readonly umount: string;
  readonly pivotRoot: string;
  readonly ip: string;
}

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

const isUnder = (path: string, root: string): boolean => path === root || path.startsWith(root === '/' ? '/' : `${root}/`);

// Drops paths that a shorter one of the same list already covers, and sorts parents first.
export function outermost(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths.map((p) => posix.normalize(p)))].sort((a, b) => a.length - b.length);
  return sorted.filter((path, index) => !sorted.slice(0, index).some((other) => isUnder(path, other)));
}

// A readable or writable path needs a mount of its own only where a hidden or scratch tmpfs
// covers it; elsewhere the read-only copy of the host tree already shows it.
export function exposures(view: SandboxView): Array<{ path: string; writable: boolean }> {
  const covers = [...view.hidden, ...view.scratch];
  const covered = (path: string) => covers.some((root) => isUnder(path, root));
  return [
    ...outermost(view.readable)
      .filter(covered)
      .filter((path) => !view.writable.some((w) => isUnder(path, w)))
      .map((path) => ({ path, writable: false })),
    ...outermost(view.writable).map((path) => ({ path, writable: true })),
  ];
}

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

// The shell script run as root of a fresh user+mount+pid+net namespace (unshare). It binds the
// host's tree read-only under the new root, replaces /proc, /sys and /dev with the namespace's
// own (a /dev of a few harmless devices: no disk a root-run harness could write to), covers what
// the lane must not see, binds back what it needs, brings up loopback and pivots into it, then
// execs `then`. The host's root is detached, so nothing outside the view is reachable by path.
// Each mount is a process of util-linux's mount: their number is most of the sandbox's cost.
export function sandboxScript(view: SandboxView, tools: SandboxTools, then: readonly string[]): string {
  const R = view.root;
  const at = (path: string) => quote(`${R}${path}`);
  const lines: string[] = [
    'set -eu',
    `mount=${quote(tools.mount)}`,
    `"$mount" -n --rbind / ${quote(R)}`,
    `"$mount" -n -t proc proc ${at('/proc')}`,
    `"$mount" -n -t sysfs -o ro sysfs ${at('/sys')}`,
    `"$mount" -n -t tmpfs -o mode=0755,size=1m case-route-dev ${at('/dev')}`,
    `mkdir ${at('/dev/shm')} ${at('/dev/pts')}`,
    `ln -s /proc/self/fd ${at('/dev/fd')}; ln -s /proc/self/fd/0 ${at('/dev/stdin')}; ln -s /proc/self/fd/1 ${at('/dev/stdout')}; ln -s /proc/self/fd/2 ${at('/dev/stderr')}`,
    `for d in ${DEVICES.join(' ')}; do [ -e "/dev/$d" ] || continue; : > ${quote(R)}/dev/"$d"; "$mount" -n --bind /dev/"$d" ${quote(R)}/dev/"$d"; done`,
  ];
  // An empty directory needs no cover: there is nothing in it to hide.
  for (const path of outermost(view.hidden)) {
    lines.push(`if [ -d ${at(path)} ] && [ -n "$(ls -A ${at(path)})" ]; then "$mount" -n -t tmpfs -o mode=0755,size=1m case-route-hidden ${at(path)}; fi`);
  }
  for (const path of outermost([...view.scratch, '/dev/shm'])) {
    lines.push(`if [ -d ${at(path)} ]; then "$mount" -n -t tmpfs -o mode=1777,size=512m case-route-scratch ${at(path)}; fi`);
  }
  const exposed = exposures(view);
  for (const { path } of exposed) {
    lines.push(`if [ -d ${quote(path)} ]; then mkdir -p ${at(path)}; else mkdir -p "$(dirname ${at(path)})"; [ -e ${at(path)} ] || : > ${at(path)}; fi`);
    lines.push(`"$mount" -n --bind ${quote(path)} ${at(path)}`);
  }
  // Every other mount of the new root becomes read-only. Mounts under a covering tmpfs cannot be
  // reached and need nothing; a remount that fails elsewhere fails the sandbox: fail closed.
  const alts = (paths: readonly string[]) => paths.map(quote).join('|') || "''";
  const keep = [...exposed.filter((e) => e.writable).map((e) => `${R}${e.path}`), ...outermost([...view.scratch, '/dev/shm']).map((p) => `${R}${p}`)];
  const exposedReadOnly = exposed.filter((e) => !e.writable).map((e) => `${R}${e.path}`);
  const covered = [...outermost([...view.hidden, ...view.scratch]), '/proc', '/sys', '/dev'].map((p) => `${quote(`${R}${p}`)}/*`);
  lines.push(
    `mps=$(awk -v r=${quote(R)} '($5 == r || index($5, r "/") == 1) && $6 !~ /^ro(,|$)/ { print $5 }' /proc/self/mountinfo)`,
    `old_ifs=$IFS; IFS='`,
    `'`,
    `for mp in $mps; do`,
    `  case "$mp" in ${alts(keep)}) continue;; ${alts(exposedReadOnly)}) ;; ${covered.join('|')}) continue;; esac`,
    `  "$mount" -n -o remount,bind,ro "$mp" || { echo "case-route sandbox: cannot make $mp read-only" >&2; exit 1; }`,
    `done`,
    `IFS=$old_ifs`,
    `${quote(tools.ip)} link set lo up`,
    `cd ${quote(R)}`,
    `${quote(tools.pivotRoot)} . .`,
    `${quote(tools.umount)} -n -l .`,
    `cd ${quote(view.cwd)}`,
    `exec ${then.map(quote).join(' ')}`,
  );
  return `${lines.join('\n')}\n`;
}
