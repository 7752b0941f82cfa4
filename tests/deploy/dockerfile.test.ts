import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, SERVICE_NAMES } from './support/config-contract';
import { ROOT, deployTools } from './support/tools';

interface LintResult {
  warnings: { ruleName: string; detail: string; location?: { ranges: { start: { line: number } }[] } }[] | null;
  buildError?: { message: string };
}

/** BuildKit's own checks (`docker build --check`), run offline by tests/deploy/dockerlint. */
function dockerlint(file: string, buildArgs: Record<string, string>): { status: number; result: LintResult } {
  const args = [file, ...Object.entries(buildArgs).map(([k, v]) => `${k}=${v}`)];
  const run = spawnSync(deployTools().dockerlint, args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`dockerlint failed: ${run.stderr}`);
  return { status: run.status, result: JSON.parse(run.stdout) as LintResult };
}

interface Instruction {
  op: string;
  args: string;
  stage: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped, tagged with their stage. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = '';
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? args;
    out.push({ op: op.toUpperCase(), args, stage });
  }
  return out;
}

describe('docker/Dockerfile', () => {
  const text = readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8');
  const all = instructions(text);
  const finalStage = all.filter((i) => i.op === 'FROM').at(-1)?.stage;
  const runtime = all.filter((i) => i.stage === finalStage);
  const one = (op: string): Instruction => {
    const found = runtime.filter((i) => i.op === op);
    expect(found, `one ${op} in the runtime stage`).toHaveLength(1);
    return found[0] as Instruction;
  };

  it.each([...SERVICE_NAMES])('passes BuildKit’s checks (docker build --check) for %s', (service) => {
    const { status, result } = dockerlint('docker/Dockerfile', {
      SERVICE: service,
      PORT: String(DEFAULT_PORTS[service]),
    });
    const found = (result.warnings ?? []).map(
      (w) => `${w.ruleName}: ${w.detail} (line ${w.location?.ranges[0]?.start.line})`,
    );
    expect(found).toEqual([]);
    expect(result.buildError).toBeUndefined();
    expect(status).toBe(0);
  });

  it('BuildKit’s checks do catch mistakes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-dockerlint-'));
    try {
      const file = path.join(dir, 'Dockerfile');
      writeFileSync(file, 'FROM node:20 as build\nENV FOO bar\nFROM scratch AS build\nCMD node main.js\n');
      const rules = (dockerlint(file, {}).result.warnings ?? []).map((w) => w.ruleName).sort();
      expect(rules).toEqual(['DuplicateStageName', 'FromAsCasing', 'JSONArgsRecommended', 'LegacyKeyValueFormat']);
      writeFileSync(file, 'FROM node:20\nCOPY --chmod=abc a b\nFROMM x\n');
      expect(dockerlint(file, {}).status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds from node 20 bookworm-slim pinned to a patch version', () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim$/m);
    for (const from of all.filter((i) => i.op === 'FROM')) {
      expect(from.args).toMatch(/^(\$\{NODE_IMAGE\}|base|deps|build)(\s|$)/);
    }
    expect(finalStage).toBe('runtime');
  });

  it('installs with npm ci, builds, and ships production dependencies only', () => {
    expect(all.some((i) => i.op === 'RUN' && /\bnpm ci\b(?!.*--omit)/.test(i.args))).toBe(true);
    expect(all.some((i) => i.op === 'RUN' && /\bnpm run build\b/.test(i.args))).toBe(true);
    expect(all.some((i) => i.stage === 'prod-deps' && i.op === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
    const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=prod-deps /app/node_modules ./node_modules');
    expect(copies.some((c) => c.startsWith('--from=deps') || c.startsWith('--from=build '))).toBe(false);
  });

  it('takes the service as a build argument and runs its dist/main.js', () => {
    expect(runtime.some((i) => i.op === 'ARG' && i.args === 'SERVICE')).toBe(true);
    expect(text).toContain('services/${SERVICE}/dist/main.js');
    expect(one('CMD').args).toBe('["node", "/app/main.js"]');
  });

  it('runs as the unprivileged node user, listens on all interfaces and stops on SIGTERM', () => {
    expect(one('USER').args).toBe('node');
    expect(one('STOPSIGNAL').args).toBe('SIGTERM');
    expect(one('ENV').args).toMatch(/\bHOST=0\.0\.0\.0\b/);
    expect(one('ENV').args).toMatch(/\bNODE_ENV=production\b/);
    const user = runtime.findIndex((i) => i.op === 'USER');
    expect(
      runtime.slice(user).some((i) => i.op === 'RUN' || i.op === 'COPY'),
      'nothing written after USER',
    ).toBe(false);
  });

  it('checks health with node (no curl in slim) on /health/live', () => {
    expect(one('HEALTHCHECK').args).toMatch(/CMD \["node", "\/usr\/local\/lib\/parley\/healthcheck\.js"\]$/);
    const script = readFileSync(path.join(ROOT, 'docker/healthcheck.js'), 'utf8');
    expect(script).toContain("path: '/health/live'");
    expect(script).toContain('process.env.PORT');
  });

  it('keeps local installs, build output, caches and secrets out of the build context', () => {
    const ignore = readFileSync(path.join(ROOT, 'docker/Dockerfile.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.cache', '.git', '**/.env']) expect(ignore).toContain(entry);
  });
});
