import { apacheSlot } from './fields.js';
import type { FieldDef, Layout } from './layout.js';
import { markQuoted } from './nginxFormat.js';

/**
 * Compile an Apache LogFormat string (as written in httpd.conf, with \" for
 * quotes) into a Layout. Directives: %h, %>s, %{User-Agent}i, %400,501{Referer}i,
 * %{%d/%b/%Y}t ... Conditions and < > modifiers do not change what is parsed.
 */
export function compileApacheFormat(source: string, name = 'custom'): Layout {
  const format = stripApacheDirective(source);
  const literals: string[] = [];
  const fields: FieldDef[] = [];
  const re = /%([<>]?)(!?[0-9,]*)(?:\{([^}]*)\})?([<>]?)([a-zA-Z%])/g;
  let last = 0;
  let literal = '';
  let m: RegExpExecArray | null;
  while ((m = re.exec(format)) !== null) {
    literal += format.slice(last, m.index);
    last = re.lastIndex;
    const letter = m[5];
    if (letter === '%') {
      literal += '%';
      continue;
    }
    const arg = m[3];
    // %t writes its own brackets: "[10/Oct/2000:13:55:36 -0700]".
    const bracketed = letter === 't' && arg === undefined;
    literals.push(bracketed ? `${literal}[` : literal);
    literal = bracketed ? ']' : '';
    fields.push({ name: `%${arg !== undefined ? `{${arg}}` : ''}${letter}`, slot: apacheSlot(letter, arg), quoted: false });
  }
  literals.push(literal + format.slice(last));
  markQuoted(literals, fields);
  return { name, source, literals, fields, allowTrailing: false };
}

function stripApacheDirective(source: string): string {
  let s = source.trim();
  const directive = /^(?:LogFormat|CustomLog)\s+"((?:[^"\\]|\\.)*)"/.exec(s);
  if (directive) s = directive[1];
  return s.replace(/\\(["\\])/g, '$1');
}

/** Tells which compiler a user-given format string is for. */
export function looksLikeApacheFormat(source: string): boolean {
  return /%[<>]?[0-9,!]*(\{[^}]*\})?[<>]?[a-zA-Z]/.test(source) && !/\$[A-Za-z_{]/.test(source);
}
