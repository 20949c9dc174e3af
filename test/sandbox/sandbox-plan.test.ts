import { describe, expect, it } from 'vitest';
import { sandboxFstab, type SandboxView } from '../../src/sandbox/sandbox-plan.js';

// The fstab is the sandbox's whole view of the machine; mount order decides what covers what.
const base: SandboxView = {
  root: '/w/stage/top',
  writable: ['/tmp/ws/lanes/real'],
  readable: ['/opt/route'],
  hidden: ['/home', '/root'],
  scratch: ['/tmp'],
  devices: ['null'],
  cwd: '/tmp/ws/lanes/real/repo',
};

const lines = (view: SandboxView) => sandboxFstab(view, '/w/stage/dev').trim().split('\n');
const index = (all: string[], fragment: string) => all.findIndex((line) => line.includes(fragment));

describe('the sandbox fstab', () => {
  it('binds the lane workspace writable inside a fresh /tmp, and the root read-only last', () => {
    const all = lines(base);
    expect(all[0]).toBe('/ /w/stage/top none rbind 0 0');
    expect(all).toContain('/tmp/ws/lanes/real /w/stage/top/tmp/ws/lanes/real none bind,X-mount.mkdir 0 0');
    expect(index(all, 'case-route-scratch /w/stage/top/tmp ')).toBeLessThan(index(all, '/tmp/ws/lanes/real /w/stage'));
    expect(all).toContain('none /w/stage/top none remount,bind,ro 0 0');
  });

  it('covers a run directory inside a bound-back checkout after the bind, read-only', () => {
    const all = lines({ ...base, readable: ['/srv/route'], hidden: ['/srv', '/srv/route/case-route-runs/abc'] });
    const bind = index(all, '/srv/route /w/stage/top/srv/route none bind,ro');
    const cover = index(all, 'case-route-hidden /w/stage/top/srv/route/case-route-runs/abc tmpfs ro,');
    expect(bind).toBeGreaterThan(-1);
    expect(cover).toBeGreaterThan(bind);
    // /srv holds a mount point, so it is made read-only only after the bind.
    expect(all).toContain('case-route-hidden /w/stage/top/srv tmpfs mode=0755,size=1m 0 0');
    expect(all).toContain('none /w/stage/top/srv none remount,bind,ro 0 0');
  });

  it('does not cover twice what a scratch tmpfs already covers, and escapes white space', () => {
    const all = lines({ ...base, hidden: ['/srv', '/tmp/harness cwd'], readable: ['/srv/a b'] });
    expect(all.some((line) => line.includes('harness'))).toBe(false);
    expect(all).toContain('/srv/a\\040b /w/stage/top/srv/a\\040b none bind,ro,X-mount.mkdir 0 0');
  });
});
