import { spawnSync } from 'node:child_process';
import { deployTools } from './tools';
import type { K8sObject } from './render';

export interface CrdReport {
  checked: number;
  problems: string[];
  /** Metric names the PromQL expressions select. */
  metrics: string[];
}

/** Runs tests/deploy/crdcheck on objects (ServiceMonitor, PrometheusRule, dashboard ConfigMaps). */
export function crdcheck(objects: K8sObject[]): CrdReport {
  const result = spawnSync(deployTools().crdcheck, [], { input: JSON.stringify(objects), encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0 && result.status !== 1) throw new Error(`crdcheck failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as CrdReport;
}
