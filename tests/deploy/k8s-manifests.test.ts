import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifests, render } from './support/render';
import { ROOT } from './support/tools';

const FILES = ['parley.yaml', 'migrate-job.yaml'];
const fresh = mkdtempSync(path.join(tmpdir(), 'parley-k8s-'));

afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('k8s/ plain manifests', () => {
  it('equal, byte for byte, what scripts/deploy/render-k8s.sh renders now', () => {
    execFileSync('bash', [path.join(ROOT, 'scripts/deploy/render-k8s.sh'), fresh], { cwd: ROOT, stdio: 'pipe' });
    for (const file of FILES) {
      const committed = readFileSync(path.join(ROOT, 'k8s', file), 'utf8');
      const rendered = readFileSync(path.join(fresh, file), 'utf8');
      expect(committed, `k8s/${file} is stale: run bash scripts/deploy/render-k8s.sh`).toBe(rendered);
    }
  });

  it('hold exactly the objects of the chart’s default render', () => {
    const key = (o: { kind: string; metadata: { name: string } }): string => `${o.kind}/${o.metadata.name}`;
    const committed = FILES.flatMap((f) => parseManifests(readFileSync(path.join(ROOT, 'k8s', f), 'utf8')));
    const chart = render('default');
    expect(committed.map(key).sort()).toEqual(chart.map(key).sort());
    const byKey = new Map(chart.map((o) => [key(o), o]));
    for (const obj of committed) expect(obj, key(obj)).toEqual(byKey.get(key(obj)));
  });

  it('keep the migration Job apart, to run first', () => {
    const job = parseManifests(readFileSync(path.join(ROOT, 'k8s/migrate-job.yaml'), 'utf8'));
    expect(job.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Job/parley-migrate']);
    const rest = parseManifests(readFileSync(path.join(ROOT, 'k8s/parley.yaml'), 'utf8'));
    expect(rest.filter((o) => o.kind === 'Job')).toEqual([]);
    expect(rest[0]?.kind).toBe('ServiceAccount');
  });
});
