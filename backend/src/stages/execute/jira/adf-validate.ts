import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv-draft-04';

/**
 * ADF validation against Atlassian's own JSON schema (`@atlaskit/adf-schema`,
 * json-schema/v1/full.json, draft-04). No ADF rules are written here: if the published schema
 * accepts a document, so do we, and Jira's own validator is built from the same definitions.
 */
export type AdfValidation = { ok: true } | { ok: false; errors: string[] };

const MAX_ERRORS = 10;
let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const pkg = require.resolve('@atlaskit/adf-schema/package.json');
  const schema: unknown = JSON.parse(readFileSync(join(dirname(pkg), 'json-schema', 'v1', 'full.json'), 'utf8'));
  // strictTuples: false — the schema uses two-item `items` tuples (mediaSingle's
  // [media, caption], blockTaskItem's content) without minItems/additionalItems. That is valid draft-04 and we use the
  // schema as published, so we turn off that one strict-mode lint (it would only log a warning)
  // rather than edit the schema. The schema declares no `format`s, so ajv-formats is not needed.
  const ajv = new Ajv({ strictTuples: false });
  compiled = ajv.compile(schema as object);
  return compiled;
}

export function validateAdf(doc: unknown): AdfValidation {
  const validate = validator();
  try {
    if (validate(doc)) return { ok: true };
  } catch (e) {
    // A pathologically deep document can exhaust the stack; that is a refusal, not a crash.
    return { ok: false, errors: [`the document could not be checked: ${(e as Error).message}`] };
  }
  return { ok: false, errors: describe(validate.errors ?? [], doc) };
}

/**
 * ADF content is a big anyOf, so one mistake yields an error per alternative. The deepest
 * instance path is where the document actually went wrong; report those, de-duplicated.
 */
function describe(errors: ErrorObject[], doc: unknown): string[] {
  if (errors.length === 0) return ['the document does not match the ADF schema'];
  const depth = (e: ErrorObject) => (e.instancePath === '' ? 0 : e.instancePath.split('/').length);
  const deepest = Math.max(...errors.map(depth));
  const lines = new Set<string>();
  for (const e of errors) {
    if (depth(e) !== deepest) continue;
    const got = e.keyword === 'enum' ? ` (got ${preview(valueAt(doc, e.instancePath))})` : '';
    lines.add(`${e.instancePath || '/'}: ${e.message ?? e.keyword}${got}`);
    if (lines.size >= MAX_ERRORS) break;
  }
  return [...lines];
}

function valueAt(doc: unknown, pointer: string): unknown {
  let at = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  }
  return at;
}

function preview(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
