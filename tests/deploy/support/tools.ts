import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Repository root. */
export const ROOT = path.resolve(__dirname, '../../..');

export interface DeployTools {
  /** Pinned helm built by scripts/helm.sh. */
  helm: string;
  /** Directory of strict Kubernetes JSON schemas (kubernetes-validate, v<kubeVersion>-local-strict). */
  kubeSchemas: string;
  kubeVersion: string;
  /** tests/deploy/crdcheck, built: Prometheus Operator types and PromQL. */
  crdcheck: string;
  /** tests/deploy/dockerlint, built: BuildKit's Dockerfile checks. */
  dockerlint: string;
}

let cached: DeployTools | undefined;

/**
 * Installs the tools once per machine (into .cache/tools/, under a lock, so parallel test files
 * share the work) and returns their paths.
 */
export function deployTools(): DeployTools {
  if (!cached) {
    const out = execFileSync('bash', [path.join(ROOT, 'scripts/deploy/tools.sh')], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60_000,
    });
    const entries = new Map<string, string>();
    for (const line of out.trim().split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) entries.set(line.slice(0, at), line.slice(at + 1));
    }
    const get = (key: string): string => {
      const value = entries.get(key);
      if (!value) throw new Error(`scripts/deploy/tools.sh printed no ${key}=: ${out}`);
      return value;
    };
    cached = {
      helm: get('helm'),
      kubeSchemas: get('kubeschemas'),
      kubeVersion: get('kubeversion'),
      crdcheck: get('crdcheck'),
      dockerlint: get('dockerlint'),
    };
  }
  return cached;
}
