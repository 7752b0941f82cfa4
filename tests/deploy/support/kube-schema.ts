import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { K8sObject } from './render';

/**
 * Validates objects against the strict JSON schemas of one Kubernetes version (kubernetes-validate's
 * "local-strict" set: the OpenAPI definitions of the API server, with additionalProperties false on
 * every object, so an unknown or misspelt field is an error, as with `kubectl apply --validate=strict`).
 */
export class KubeSchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly dir: string) {
    // The schemas use the OpenAPI formats (int32, int64, byte, double): types are checked, formats not.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    this.ajv.addSchema(this.read('_definitions.json'));
  }

  /** Schema file of a kind: "apps/v1" Deployment -> deployment-apps-v1.json, "v1" Service -> service-v1.json. */
  static fileOf(apiVersion: string, kind: string): string {
    const group = apiVersion.includes('/') ? apiVersion.replace(/^([^./]*)(?:\.[^/]*)?\//, '$1-') : apiVersion;
    return `${kind.toLowerCase()}-${group}.json`;
  }

  /** Problems of one object, empty when valid. Throws when the version has no schema for the kind. */
  validate(obj: K8sObject): string[] {
    const validate = this.validatorFor(KubeSchemaValidator.fileOf(obj.apiVersion, obj.kind));
    const id = `${obj.kind}/${obj.metadata.name}`;
    if (validate(obj)) return [];
    return (validate.errors ?? []).map((e) => `${id}: ${describe(e)}`);
  }

  hasSchema(apiVersion: string, kind: string): boolean {
    try {
      this.validatorFor(KubeSchemaValidator.fileOf(apiVersion, kind));
      return true;
    } catch {
      return false;
    }
  }

  private validatorFor(file: string): ValidateFunction {
    let validate = this.validators.get(file);
    if (!validate) {
      const schema = this.read(file);
      // The kind schemas reference "/api/_definitions.json#/$defs/..." and carry no $id of their own.
      validate = this.ajv.compile({ ...schema, $id: `https://kubernetes.io/api/${file}` });
      this.validators.set(file, validate);
    }
    return validate;
  }

  private read(file: string): Record<string, unknown> {
    return JSON.parse(readFileSync(path.join(this.dir, file), 'utf8')) as Record<string, unknown>;
  }
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    return `${at}: unknown field "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
  }
  return `${at}: ${e.message ?? e.keyword} ${e.keyword === 'enum' ? JSON.stringify(e.params) : ''}`.trim();
}
