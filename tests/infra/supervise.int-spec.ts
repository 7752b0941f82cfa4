import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, waitFor } from '@parley/testing';

/**
 * Issue 11, defect 11: under `npm start` a service that exits is restarted (with backoff, logged),
 * as a process manager or Kubernetes would; stopping the supervisor stops the service with it.
 */
describe('scripts/lib/supervise.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-supervise-'));

  const start = (command: string) => {
    const child = spawn(
      'bash',
      ['-c', `. "${resolve(REPO_ROOT, 'scripts/lib/supervise.sh')}"; supervise svc "${dir}/svc.log" ${command}`],
      {
        env: { ...process.env, SUPERVISE_BACKOFF_MIN_S: '1', SUPERVISE_BACKOFF_MAX_S: '2' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, exited, stderr: () => stderr };
  };

  const lines = (file: string) => {
    try {
      return readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restarts a command that keeps crashing, with a doubling backoff, one log line per restart', async () => {
    const runs = join(dir, 'runs');
    const sup = start(`bash -c 'echo run >> "${runs}"; echo "service output"; exit 3'`);
    await waitFor(() => lines(runs).length >= 3, { timeoutMs: 20_000, what: 'three runs' });
    sup.child.kill('SIGTERM');
    expect(await sup.exited).toBe(0);
    const restarts = sup
      .stderr()
      .split('\n')
      .filter((l) => l.includes('supervisor: svc exited with code 3'));
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    expect(restarts[0]).toMatch(/restarting in 1s$/);
    expect(restarts[1]).toMatch(/restarting in 2s$/);
    expect(lines(join(dir, 'svc.log'))).toContain('service output');
  });

  it('stops the command it runs when it is stopped, and does not restart it', async () => {
    const pidFile = join(dir, 'pid');
    const sup = start(`bash -c 'echo $$ > "${pidFile}"; exec sleep 600'`);
    const pid = Number(await waitFor(() => lines(pidFile)[0], { what: 'the child pid' }));
    sup.child.kill('SIGTERM');
    expect(await sup.exited).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(sup.stderr()).not.toContain('restarting');
  });
});
