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
  // The host's harmless devices that exist here (null, zero, ...), the whole of the lane's /dev.
  readonly devices: readonly string[];
  readonly cwd: string;
}

export interface SandboxTools {
  readonly setpriv: string;
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

// Paths in an fstab are separated by white space: these characters are written as octal escapes.
const fstabPath = (path: string): string => path.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);

// Every mount of the sandbox in order, as one fstab for a single `mount --all` (one process, where
// a mount per process cost most of the sandbox's start-up): the host's tree bound under the new
// root; /proc, /sys and /dev the namespace's own (a /dev of a few harmless devices, bound over
// empty files of `devTemplate`: no disk a root-run harness could write to); empty tmpfs over what
// the lane must not see and fresh ones over temp directories; what it needs bound back read-only,
// its workspace read-write; then the root and the covers made read-only.
export function sandboxFstab(view: SandboxView, devTemplate: string): string {
  const R = view.root;
  const at = (path: string) => fstabPath(`${R}${path}`);
  const exposed = exposures(view);
  const scratch = outermost([...view.scratch, '/dev/shm']);
  // A cover exactly where something is bound back, or under a scratch tmpfs, would hide nothing.
  const hidden = outermost(view.hidden).filter((p) => !exposed.some((e) => e.path === p) && !scratch.some((t) => isUnder(p, t)));
  // What lies inside something bound back (a run directory inside the checkout) is covered again
  // after the binds.
  const hiddenInside = outermost(view.hidden.filter((p) => exposed.some((e) => e.path !== p && isUnder(p, e.path))));
  // A cover with something mounted inside it stays writable until its mount points are made.
  const coversExposure = (path: string) => [...exposed.map((e) => e.path), ...scratch].some((inner) => inner !== path && isUnder(inner, path));
  const lines = [
    `/ ${fstabPath(R)} none rbind 0 0`,
    `proc ${at('/proc')} proc nosuid,nodev,noexec 0 0`,
    `sysfs ${at('/sys')} sysfs ro,nosuid,nodev,noexec 0 0`,
    `${fstabPath(devTemplate)} ${at('/dev')} none bind 0 0`,
    ...view.devices.map((d) => `/dev/${d} ${at(`/dev/${d}`)} none bind 0 0`),
    ...hidden.map((p) => `case-route-hidden ${at(p)} tmpfs ${coversExposure(p) ? '' : 'ro,'}mode=0755,size=1m 0 0`),
    ...scratch.map((p) => `case-route-scratch ${at(p)} tmpfs mode=1777,size=512m,X-mount.mkdir 0 0`),
    ...exposed.map((e) => `${fstabPath(e.path)} ${at(e.path)} none bind,${e.writable ? '' : 'ro,'}X-mount.mkdir 0 0`),
    ...hiddenInside.map((p) => `case-route-hidden ${at(p)} tmpfs ro,mode=0755,size=1m 0 0`),
    `none ${fstabPath(R)} none remount,bind,ro 0 0`,
    `none ${at('/dev')} none remount,bind,ro 0 0`,
    ...hidden.filter(coversExposure).map((p) => `none ${at(p)} none remount,bind,ro 0 0`),
  ];
  return `${lines.join('\n')}\n`;
}

// The shell script run as root of a fresh user+mount+pid+net namespace (unshare): it mounts the
// fstab, makes read-only any other mount of the host's that is still writable in the new root
// (fail closed if one cannot be), brings up loopback and pivots into the new root. `then` (the
// lane's first process) starts at once beside it, so that its own start-up overlaps the mounts,
// and goes on only when the setup says `go` on its stdin; pivot_root moves it into the new root
// with everything else of the namespace. The host's root is detached, so nothing outside the
// view is reachable by path. `then` runs with every capability dropped, and so does all it
// starts: once the setup is done, only this shell (the namespace's PID 1, which a process without
// capabilities can neither trace nor signal) holds any, and it only waits.
export function sandboxScript(view: SandboxView, tools: SandboxTools, fstab: string, then: readonly string[]): string {
  const R = view.root;
  const alts = (paths: readonly string[]) => paths.map(quote).join('|') || "''";
  const exposed = exposures(view);
  const keep = [...exposed.filter((e) => e.writable).map((e) => `${R}${e.path}`), ...outermost([...view.scratch, '/dev/shm']).map((p) => `${R}${p}`)];
  const covered = [...outermost([...view.hidden, ...view.scratch]), '/proc', '/sys', '/dev'].map((p) => `${quote(`${R}${p}`)}/*`);
  const lines = [
    '{',
    'set -eu',
    `${quote(tools.mount)} -n --all --fstab ${quote(fstab)}`,
    `mps=$(awk -v r=${quote(R)} '($5 == r || index($5, r "/") == 1) && $6 !~ /^ro(,|$)/ { print $5 }' /proc/self/mountinfo)`,
    `old_ifs=$IFS; IFS='`,
    `'`,
    `for mp in $mps; do`,
    `  case "$mp" in ${alts(keep)}|${covered.join('|')}) continue;; esac`,
    `  ${quote(tools.mount)} -n -o remount,bind,ro "$mp" || { echo "case-route sandbox: cannot make $mp read-only" >&2; exit 1; }`,
    `done`,
    `IFS=$old_ifs`,
    `${quote(tools.ip)} link set lo up`,
    `cd ${quote(R)}`,
    `${quote(tools.pivotRoot)} . .`,
    `${quote(tools.umount)} -n -l .`,
    `echo go`,
    `} | ${quote(tools.setpriv)} --bounding-set=-all --inh-caps=-all --ambient-caps=-all --no-new-privs -- ${then.map(quote).join(' ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
