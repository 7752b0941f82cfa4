import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { deployTools, ROOT } from './tools';

export const RELEASE = 'parley';
export const NAMESPACE = 'parley';
export const CHART = 'helm/parley';

/** The value sets every check runs against: the chart's defaults and its example values files. */
export const RENDERS = {
  default: [],
  cloud: ['helm/parley/values-cloud.yaml'],
  'self-hosted': ['helm/parley/values-self-hosted.yaml'],
  trial: ['helm/parley/values-trial.yaml'],
  'all-options': ['tests/deploy/fixtures/values-all-options.yaml'],
} satisfies Record<string, string[]>;
export type RenderName = keyof typeof RENDERS;
export const RENDER_NAMES = Object.keys(RENDERS) as RenderName[];
/** The renders of the documented values files (the fixture exercises options, not a deployment). */
export const EXAMPLE_RENDERS: RenderName[] = ['default', 'cloud', 'self-hosted', 'trial'];

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  [field: string]: unknown;
}

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function helm(args: string[]): HelmResult {
  const result = spawnSync(deployTools().helm, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, HELM_CACHE_HOME: `${ROOT}/.cache/helm`, HELM_CONFIG_HOME: `${ROOT}/.cache/helm` },
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** `helm template` arguments of the default release, as scripts/deploy/render-k8s.sh uses them. */
export function templateArgs(valuesFiles: readonly string[], extra: readonly string[] = []): string[] {
  return ['template', RELEASE, CHART, '--namespace', NAMESPACE, ...valuesFiles.flatMap((f) => ['-f', f]), ...extra];
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((obj): obj is K8sObject => obj !== null);
}

const renders = new Map<string, K8sObject[]>();

/** Renders the chart with values files (and extra helm arguments); throws with helm's message on failure. */
export function renderWith(valuesFiles: readonly string[], extra: readonly string[] = []): K8sObject[] {
  const key = JSON.stringify([valuesFiles, extra]);
  let objects = renders.get(key);
  if (!objects) {
    const result = helm(templateArgs(valuesFiles, extra));
    if (result.status !== 0) throw new Error(`helm template ${valuesFiles.join(' ')} failed:\n${result.stderr}`);
    objects = parseManifests(result.stdout);
    renders.set(key, objects);
  }
  return objects;
}

export function render(name: RenderName): K8sObject[] {
  return renderWith(RENDERS[name]);
}

export function ofKind<T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

export function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the render`);
  return found;
}
