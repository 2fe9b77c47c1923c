/**
 * Group paths by route: segments that are ids or tokens become placeholders,
 * so /users/123 and /users/456 count together as /users/:id. Rules are data,
 * tried in order on each path segment.
 */
export const ROUTE_RULES: readonly { test: RegExp; placeholder: string }[] = [
  { test: /^\d+$/, placeholder: ':id' },
  { test: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, placeholder: ':uuid' },
  { test: /^[0-9a-f]{16,}$/i, placeholder: ':hex' },
  { test: /^[^@/]+@[^@/]+\.[a-z]{2,}$/i, placeholder: ':email' },
  // Long mixed letter-digit strings: API keys, session ids, base64url tokens.
  { test: /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-.~=+]{20,}$/, placeholder: ':token' },
  { test: /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*$/, placeholder: ':jwt' },
];

/**
 * Only a segment that is all digits, or 16+ characters long, or holds an "@",
 * or starts with "eyJ" can match a rule above (the uuid, hex and token rules
 * need 36, 16 and 20 characters); every other segment is kept without running
 * the regular expressions. Changing ROUTE_RULES means revisiting this.
 */
const MIN_LONG_RULE = 16;

/** The rule placeholder for one segment path[from, to), or undefined to keep it. */
function placeholderOf(path: string, from: number, to: number): string | undefined {
  let digits = true;
  let at = false;
  for (let i = from; i < to; i++) {
    const c = path.charCodeAt(i);
    if (c < 48 || c > 57) {
      digits = false;
      if (c === 64) at = true;
    }
  }
  if (digits) return ':id';
  const len = to - from;
  if (len < MIN_LONG_RULE && !at && !(len >= 3 && path.charCodeAt(from) === 101 && path.charCodeAt(from + 1) === 121 && path.charCodeAt(from + 2) === 74)) return undefined;
  const seg = path.slice(from, to);
  for (const rule of ROUTE_RULES) if (rule.test.test(seg)) return rule.placeholder;
  return undefined;
}

/** The last path and its route: the cause table and the path table ask for the same finding in turn. */
let lastPath: string | undefined;
let lastRoute = '';

/**
 * The route of a path. A path with nothing to replace is returned as is (the
 * same string); no cache, so nothing is kept per distinct path.
 */
export function routeOf(path: string): string {
  if (path === lastPath) return lastRoute;
  let out: string | undefined;
  let copied = 0;
  let from = 0;
  const n = path.length;
  while (from <= n) {
    let to = path.indexOf('/', from);
    if (to < 0) to = n;
    if (to > from) {
      const ph = placeholderOf(path, from, to);
      if (ph !== undefined) {
        out = (out ?? '') + path.slice(copied, from) + ph;
        copied = to;
      }
    }
    from = to + 1;
  }
  const route = out === undefined ? path : out + path.slice(copied);
  lastPath = path;
  lastRoute = route;
  return route;
}
