import { TIME_SLOTS } from './fields.js';
import type { Layout } from './layout.js';

/**
 * The walk over a line that finds where each field of a Layout starts and
 * ends. Two implementations answer exactly alike: `interpretWalk` reads the
 * plan (per-field arrays) for every field of every line; `compileWalk` turns
 * the same plan into a function of straight-line code, once per format, with
 * the literals compared character by character in place and no dispatch per
 * field. The compiled walk does about half the work per line; the
 * interpreted one remains for runtimes that refuse code generation
 * (node --disallow-code-generation-from-strings) and as its reference.
 *
 * A walk fills bounds (start, end of field i at 2i, 2i+1) and returns the
 * position after the closing literal, or -1 when the line does not fit.
 */
export type LayoutWalk = (text: string, pos: number, bounds: Int32Array) => number;

/** How a field ends. */
const EndKind = {
  /** The first unescaped double quote. */
  Quoted: 0,
  /** The first space or tab (the next literal starts with a space); lists run on over ", " and " : ". */
  Token: 1,
  /** The last field, with nothing after it in the format: the first space or tab. */
  TokenLast: 2,
  /** An address before ":port": the last colon of the token. */
  IpPort: 3,
  /** The next literal. */
  Until: 4,
  /** The closing literal, which must end the line or precede extra fields. */
  UntilLast: 5,
} as const;
type EndKind = (typeof EndKind)[keyof typeof EndKind];

/** What the walk needs to know of each field, decided once per layout. */
export interface WalkPlan {
  literals: string[];
  endKind: EndKind[];
  /** An unquoted value that may be empty: a run of spaces then stands for it. */
  emptyOk: boolean[];
  /** A list field: "a, b" runs on over commas ... */
  listComma: boolean[];
  /** ... and over " : " (upstream groups). */
  listColon: boolean[];
  /** An unquoted value closed by a literal that may hold spaces (times). */
  spaceOk: boolean[];
}

export function planWalk(layout: Layout): WalkPlan {
  const { literals, fields } = layout;
  // Fields written as lists: "a, b" (proxy chains, several upstreams tried), "a : b" (upstream groups).
  const listField = fields.map((f) => f.slot === 'ip' || f.slot === 'upstreamStatus' || f.slot === 'upstreamAddr' || /upstream_|forwarded[_-]for/i.test(f.name));
  // Unquoted fields that may hold spaces: times ("[10/Oct/2000:13:55:36 -0700]") and lists.
  const spaceOk = fields.map((f, i) => listField[i] || TIME_SLOTS.has(f.slot) || /time|^%\{[^}]*\}t$/.test(f.name));
  const n = fields.length;
  const plan: WalkPlan = { literals, endKind: [], emptyOk: [], listComma: [], listColon: [], spaceOk };
  for (let i = 0; i < n; i++) {
    const f = fields[i];
    const next = literals[i + 1];
    plan.endKind.push(f.quoted ? EndKind.Quoted
      : i === n - 1 && next === '' ? EndKind.TokenLast
      : next.charCodeAt(0) === 32 ? EndKind.Token
      : f.slot === 'ip' && next.charCodeAt(0) === 58 ? EndKind.IpPort
      : i === n - 1 ? EndKind.UntilLast : EndKind.Until);
    plan.emptyOk.push(!f.quoted && next.charCodeAt(0) === 32 && next.trim() !== '');
    plan.listComma.push(listField[i]);
    plan.listColon.push(listField[i] && f.slot !== 'ip' && !next.startsWith(' :'));
  }
  return plan;
}

function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && text.charCodeAt(i) === 92; i--) n++;
  return (n & 1) === 1;
}

/** End of a space-delimited token: the first space or tab at or after pos, or the end of the line. */
export function endOfToken(text: string, pos: number): number {
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) return i;
  }
  return text.length;
}

/** The first double quote at or after pos that no backslash escapes (servers write \" or \x22 inside values). */
export function closingQuote(text: string, pos: number): number {
  let end = text.indexOf('"', pos);
  while (end >= 0 && text.charCodeAt(end - 1) === 92 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
  return end;
}

/** A list field's end: "a, b, c" (proxy chains, upstreams tried) and "a : b" (upstream groups) are one value. */
function endOfList(text: string, pos: number, end: number, colon: boolean): number {
  for (;;) {
    if (end > pos && text.charCodeAt(end - 1) === 44 && end < text.length) end = endOfToken(text, end + 1);
    else if (colon && text.startsWith(' : ', end)) end = endOfToken(text, end + 3);
    else return end;
  }
}

/**
 * Match a format literal at pos; returns the position after it, or -1. A space
 * in the literal matches a run of spaces (some servers pad fields, e.g. "-  -").
 */
export function matchLiteral(text: string, pos: number, lit: string): number {
  if (lit.length === 0) return pos;
  let p = pos;
  if (text.startsWith(lit, pos)) {
    p = pos + lit.length;
  } else {
    if (!lit.includes(' ')) return -1;
    for (let k = 0; k < lit.length; k++) {
      const c = lit.charCodeAt(k);
      if (text.charCodeAt(p) !== c) return -1;
      p++;
      if (c === 32) while (text.charCodeAt(p) === 32) p++;
    }
    return p;
  }
  if (lit.charCodeAt(lit.length - 1) === 32) while (text.charCodeAt(p) === 32) p++;
  return p;
}

/** End of an unquoted last field closed by a literal: that literal must end the line (or precede extra fields). */
function findLastEnd(text: string, pos: number, closing: string): number {
  let end = text.indexOf(closing, pos);
  while (end >= 0) {
    const after = end + closing.length;
    if (after >= text.length || text.charCodeAt(after) === 32 || text.charCodeAt(after) === 9) return end;
    end = text.indexOf(closing, end + 1);
  }
  return -1;
}

/** Where field i ends, the field starting at pos; -1: the line does not fit. */
function fieldEnd(plan: WalkPlan, i: number, text: string, pos: number): number {
  switch (plan.endKind[i]) {
    case EndKind.Quoted:
      return closingQuote(text, pos);
    case EndKind.Token: {
      const end = endOfToken(text, pos);
      return plan.listComma[i] ? endOfList(text, pos, end, plan.listColon[i]) : end;
    }
    case EndKind.TokenLast:
      return endOfToken(text, pos);
    case EndKind.IpPort: {
      // The port follows the last colon, so an IPv6 address keeps its own.
      const end = text.lastIndexOf(':', endOfToken(text, pos) - 1);
      return end <= pos ? -1 : end;
    }
    default: {
      const next = plan.literals[i + 1];
      const end = plan.endKind[i] === EndKind.UntilLast ? findLastEnd(text, pos, next) : text.indexOf(next, pos);
      // An unquoted value is one token: a value running over spaces has crossed into other text.
      return end >= 0 && !plan.spaceOk[i] && endOfToken(text, pos) < end ? -1 : end;
    }
  }
}

/**
 * An empty unquoted value: the run of spaces after literal i ends with literal i + 1's
 * ("-  [" where nginx escape=json writes nothing for a missing $remote_user).
 */
function isEmptyValue(plan: WalkPlan, i: number, text: string, litStart: number, pos: number): boolean {
  const lit = plan.literals[i];
  return pos > litStart + lit.length && text.startsWith(lit, litStart) && text.startsWith(plan.literals[i + 1], pos - 1);
}

export function interpretWalk(plan: WalkPlan): LayoutWalk {
  const n = plan.endKind.length;
  return (text, pos, b) => {
    for (let i = 0; i < n; i++) {
      const litStart = pos;
      pos = matchLiteral(text, pos, plan.literals[i]);
      if (pos < 0) return -1;
      if (plan.emptyOk[i] && isEmptyValue(plan, i, text, litStart, pos)) {
        pos--;
        b[2 * i] = pos;
        b[2 * i + 1] = pos;
        continue;
      }
      const end = fieldEnd(plan, i, text, pos);
      if (end < 0) return -1;
      b[2 * i] = pos;
      b[2 * i + 1] = end;
      pos = end;
    }
    return matchLiteral(text, pos, plan.literals[n]);
  };
}

/**
 * The literal as inline code: each character compared as a code; a space
 * matches a run of spaces, as matchLiteral does for literals without two
 * spaces in a row (those keep the call: its exact match differs there).
 */
function literalCode(lit: string): string {
  if (lit.length === 0) return '';
  if (lit.includes('  ')) return `pos = matchLiteral(text, pos, ${JSON.stringify(lit)}); if (pos < 0) return -1;\n`;
  let code = '';
  for (let k = 0; k < lit.length; k++) {
    const c = lit.charCodeAt(k);
    code += `if (text.charCodeAt(pos) !== ${c}) return -1; pos++;\n`;
    if (c === 32) code += 'while (text.charCodeAt(pos) === 32) pos++;\n';
  }
  return code;
}

/** The field's end as inline code for the common kinds; the rest call fieldEnd. */
function endCode(plan: WalkPlan, i: number): string {
  switch (plan.endKind[i]) {
    case EndKind.Quoted:
      return 'end = text.indexOf(\'"\', pos);\n'
        + 'while (end >= 0 && text.charCodeAt(end - 1) === 92 && isEscaped(text, end)) end = text.indexOf(\'"\', end + 1);\n'
        + 'if (end < 0) return -1;\n';
    case EndKind.Token:
    case EndKind.TokenLast:
      return 'for (end = pos; end < text.length; end++) { const c = text.charCodeAt(end); if (c === 32 || c === 9) break; }\n'
        + (plan.endKind[i] === EndKind.Token && plan.listComma[i] ? `end = endOfList(text, pos, end, ${plan.listColon[i]});\n` : '');
    case EndKind.Until:
      // A time in brackets, a value before "|": the next literal, then (unless spaces are allowed) one token.
      return `end = text.indexOf(${JSON.stringify(plan.literals[i + 1])}, pos); if (end < 0) return -1;\n`
        + (plan.spaceOk[i] ? '' : 'if (endOfToken(text, pos) < end) return -1;\n');
    default:
      return `end = fieldEnd(plan, ${i}, text, pos); if (end < 0) return -1;\n`;
  }
}

export function compileWalk(plan: WalkPlan): LayoutWalk {
  const n = plan.endKind.length;
  let body = 'let end = 0;\n';
  for (let i = 0; i < n; i++) {
    const set = `b[${2 * i}] = pos; b[${2 * i + 1}] = end; pos = end;\n`;
    if (plan.emptyOk[i]) {
      body += `{ const litStart = pos;\n${literalCode(plan.literals[i])}`
        + `if (isEmptyValue(plan, ${i}, text, litStart, pos)) { pos--; b[${2 * i}] = pos; b[${2 * i + 1}] = pos; }\n`
        + `else {\n${endCode(plan, i)}${set}} }\n`;
    } else {
      body += literalCode(plan.literals[i]) + endCode(plan, i) + set;
    }
  }
  body += `${literalCode(plan.literals[n])}return pos;\n`;
  const helpers = { isEscaped, endOfToken, endOfList, matchLiteral, fieldEnd, isEmptyValue };
  // Literals enter the code only as numbers or JSON string literals: a format string cannot inject code.
  const make = new Function('plan', ...Object.keys(helpers), `return function walk(text, pos, b) {\n${body}};`);
  return make(plan, ...Object.values(helpers)) as LayoutWalk;
}

/** The compiled walk, or the interpreted one where code generation is refused. */
export function layoutWalk(plan: WalkPlan): LayoutWalk {
  try {
    return compileWalk(plan);
  } catch {
    return interpretWalk(plan);
  }
}
