import { NGINX_VARIABLES, type Slot } from './fields.js';
import type { FieldDef, Layout } from './layout.js';

/**
 * Compile an nginx log_format string into a Layout. Accepts the bare format,
 * or a line pasted from nginx.conf (`log_format main escape=json '...' '...';`),
 * whose quoted pieces nginx concatenates.
 */
export function compileNginxFormat(source: string, name = 'custom'): Layout {
  const format = stripNginxDirective(source);
  const literals: string[] = [];
  const fields: FieldDef[] = [];
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(format)) !== null) {
    literals.push(format.slice(last, m.index));
    const variable = m[1] ?? m[2];
    fields.push({ name: variable, slot: NGINX_VARIABLES.get(variable) ?? slotByName(variable), quoted: false });
    last = re.lastIndex;
  }
  literals.push(format.slice(last));
  markQuoted(literals, fields);
  return { name, source, literals, fields, allowTrailing: false };
}

/**
 * Variables not in the table, told by their names: modules and proxies add
 * their own ($kong_request_id, $upstream_http_x_cache, $http_x_amzn_trace_id ...).
 */
const NAME_SLOTS: readonly [RegExp, Slot][] = [
  [/(^|_)(request|trace|correlation)_?id$/, 'requestId'],
  [/(^|_)(x_cache|cache_status)$/, 'cacheStatus'],
  [/www_authenticate$/, 'wwwAuthenticate'],
];

function slotByName(variable: string): Slot {
  return NAME_SLOTS.find(([re]) => re.test(variable))?.[1] ?? 'extra';
}

/** A field is quoted when the format wraps it in double quotes. */
export function markQuoted(literals: string[], fields: FieldDef[]): void {
  for (let i = 0; i < fields.length; i++) {
    fields[i].quoted = literals[i].endsWith('"') && literals[i + 1].startsWith('"');
  }
}

function stripNginxDirective(source: string): string {
  let s = source.trim();
  if (!/^log_format\s/.test(s)) return s;
  s = s.replace(/^log_format\s+\S+\s+/, '').replace(/^escape=\S+\s+/, '').replace(/;\s*$/, '');
  const pieces = s.match(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g);
  if (!pieces) return s;
  return pieces.map((p) => p.slice(1, -1)).join('');
}
