import type { K8sObject } from './render';

/** The parts of the Kubernetes API types the policy checks read. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: unknown; fieldRef?: unknown };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
  tcpSocket?: { port: string | number };
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: SecurityContext;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext & { fsGroup?: number };
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  volumes?: { name: string; emptyDir?: unknown; secret?: unknown; configMap?: unknown }[];
  affinity?: { podAntiAffinity?: unknown };
  topologySpreadConstraints?: { topologyKey: string }[];
  terminationGracePeriodSeconds?: number;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
  };
}

export interface Job extends K8sObject {
  spec: { backoffLimit?: number; template: Workload['spec']['template'] };
}

export interface Hpa extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: {
      type: string;
      resource?: { name: string; target: { type: string; averageUtilization?: number } };
      pods?: { metric: { name: string }; target: { type: string; averageValue?: string } };
    }[];
  };
}

export interface Pdb extends K8sObject {
  spec: { selector: LabelSelector; maxUnavailable?: number | string; minAvailable?: number | string };
}

export interface Service extends K8sObject {
  spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string | number }[] };
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector & { matchExpressions?: unknown[] };
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}

export interface NetworkPolicy extends K8sObject {
  spec: {
    podSelector: LabelSelector & { matchExpressions?: { key: string; operator: string; values: string[] }[] };
    policyTypes: string[];
    ingress?: { from?: NetworkPolicyPeer[]; ports?: { port: string | number; protocol?: string }[] }[];
    egress?: { to?: NetworkPolicyPeer[]; ports?: { port: string | number; protocol?: string }[] }[];
  };
}

/** Pod templates of every workload kind the chart renders, with where they come from. */
export function podTemplates(objects: K8sObject[]): { owner: string; kind: string; spec: PodSpec }[] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind))
    .map((o) => ({ owner: `${o.kind}/${o.metadata.name}`, kind: o.kind, spec: (o as Workload).spec.template.spec }));
}

/** True when every label of the selector is on the pod. */
export function selects(
  selector: LabelSelector | Record<string, string>,
  podLabels: Record<string, string> = {},
): boolean {
  const labels = 'matchLabels' in selector ? (selector.matchLabels ?? {}) : (selector as Record<string, string>);
  const entries = Object.entries(labels);
  return entries.length > 0 && entries.every(([k, v]) => podLabels[k] === v);
}
