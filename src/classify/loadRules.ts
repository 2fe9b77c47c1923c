import { readFileSync } from 'node:fs';
import { CAUSE_IDS, isCauseId } from './causes.js';
import type { Rule, RuleField } from './rules.js';
import { yamlModule } from '../lazyModules.js';

/**
 * --rules FILE: extra rows for the rule table, as JSON or YAML: a list (or
 * {rules: [...]}) of {id?, cause, field?, match, strength?, evidence?}.
 * Errors name the file, the row and the key.
 */
const FIELDS: readonly RuleField[] = ['message', 'wwwAuthenticate', 'method', 'cacheStatus', 'user', 'path', 'userAgent', 'upstreamStatus'];

export function loadRulesFile(file: string): Rule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`--rules ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = /\.json$/i.test(file) ? JSON.parse(text) : yamlModule().parse(text);
  } catch (e) {
    throw new Error(`--rules ${file}: not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  const rows = Array.isArray(doc) ? doc : (doc as { rules?: unknown })?.rules;
  if (!Array.isArray(rows)) throw new Error(`--rules ${file}: expected a list of rules, or an object with a "rules" list`);
  return rows.map((row, i) => validateRule(row, `${file} rule ${i + 1}`));
}

function validateRule(row: unknown, where: string): Rule {
  if (row === null || typeof row !== 'object') throw new Error(`--rules ${where}: expected an object`);
  const r = row as Record<string, unknown>;
  if (typeof r.cause !== 'string' || !isCauseId(r.cause)) {
    throw new Error(`--rules ${where}: "cause" must be one of ${CAUSE_IDS.join(', ')}; got ${JSON.stringify(r.cause)}`);
  }
  if (typeof r.match !== 'string' || r.match === '') throw new Error(`--rules ${where}: "match" must be a regular expression string`);
  try {
    new RegExp(r.match, 'i');
  } catch (e) {
    throw new Error(`--rules ${where}: "match" is not a valid regular expression: ${(e as Error).message}`);
  }
  const field = (r.field ?? 'message') as RuleField;
  if (!FIELDS.includes(field)) throw new Error(`--rules ${where}: "field" must be one of ${FIELDS.join(', ')}; got ${JSON.stringify(r.field)}`);
  const strength = r.strength ?? 0.92;
  if (typeof strength !== 'number' || !(strength > 0 && strength <= 1)) throw new Error(`--rules ${where}: "strength" must be a number in (0, 1]; got ${JSON.stringify(r.strength)}`);
  if (r.evidence !== undefined && typeof r.evidence !== 'string') throw new Error(`--rules ${where}: "evidence" must be a string`);
  return {
    id: typeof r.id === 'string' ? r.id : `user-${where}`,
    cause: r.cause,
    field,
    match: r.match,
    strength,
    evidence: (r.evidence as string | undefined) ?? (field === 'message' ? '{value}' : `${field}: {value}`),
  };
}
