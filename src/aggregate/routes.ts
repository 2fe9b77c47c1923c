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

const cache = new Map<string, string>();
const CACHE_MAX = 50000;

export function routeOf(path: string): string {
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    if (seg === '') continue;
    for (const rule of ROUTE_RULES) {
      if (rule.test.test(seg)) {
        segments[i] = rule.placeholder;
        break;
      }
    }
  }
  const route = segments.join('/');
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(path, route);
  return route;
}
