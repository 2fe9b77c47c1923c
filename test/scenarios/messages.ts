import type { Cause } from './causes.js';
import type { Rng } from './rng.js';

/**
 * What applications and web servers write when they refuse a request, per
 * cause, in the wording of the libraries that write it:
 * - node: jsonwebtoken (lib/*Error.js, verify.js), jose (util/errors.ts,
 *   lib/jwt_claims_set.ts), express-jwt (UnauthorizedError codes),
 *   passport-local ("Missing credentials", the verify callback's
 *   "Incorrect username." / "Incorrect password."), node-oidc-provider
 *   (invalid_client, invalid_grant, invalid_redirect_uri);
 * - spring: Spring Security messages.properties ("Bad credentials", "User
 *   account is locked", "Full authentication is required ..."), the resource
 *   server's JwtDecoder ("An error occurred while attempting to decode the
 *   Jwt: ...", "Jwt expired at ...", "Jwt used before ..."), Nimbus
 *   ("Signed JWT rejected: Invalid signature"), Spring Authorization Server;
 * - the team's own code for API keys and sessions (no library owns them).
 * Each variant carries a short `detail` that lands in truth.json, so a miss
 * can be traced to the wording that caused it.
 */
export type Stack = 'node' | 'spring';
/** Where in the site the message can come from: it must fit the request's path. */
export type Where = 'api' | 'login' | 'oauth' | 'authorize' | 'session';

export interface ErrInfo {
  /** Error class (node constructor name, Java class name). */
  type: string;
  message: string;
  code?: string;
  /** Own enumerable properties a serializer copies (expiredAt, inner, claim ...). */
  props?: Record<string, unknown>;
}

export interface AppMsg {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  err?: ErrInfo;
  /** Extra top-level keys (reason, error, error_description, username ...). */
  fields?: Record<string, string | number>;
  detail: string;
}

export interface MsgCtx {
  rng: Rng;
  /** Request time, ms. */
  at: number;
  user: string;
}

type Variant = { where: Where; make: (c: MsgCtx) => AppMsg };

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** express-jwt wraps a jsonwebtoken error: code invalid_token, the inner error's message. */
function expressJwtWrapped(name: string, message: string, props: Record<string, unknown>): ErrInfo {
  return { type: 'UnauthorizedError', message, code: 'invalid_token', props: { status: 401, inner: { name, message, ...props } } };
}

function jwtLib(c: MsgCtx, name: string, message: string, props: Record<string, unknown> = {}): AppMsg {
  if (c.rng.chance(0.5)) {
    return { level: 'warn', msg: 'request unauthorized', err: expressJwtWrapped(name, message, props), detail: `express-jwt invalid_token wrapping ${name}: ${message}` };
  }
  return { level: 'warn', msg: 'token verification failed', err: { type: name, message, props }, detail: `jsonwebtoken ${name}: ${message}` };
}

function jose(type: string, code: string, message: string, props: Record<string, unknown> = {}): AppMsg {
  return { level: 'warn', msg: 'token verification failed', err: { type, message, code, props }, detail: `jose ${type} ${code}: ${message}` };
}

const NODE: Partial<Record<Cause, Variant[]>> = {
  credentials_invalid: [
    { where: 'login', make: (c) => ({ level: 'info', msg: 'login failed', fields: { username: c.user, reason: 'Incorrect password.' }, detail: 'passport verify: Incorrect password.' }) },
    { where: 'login', make: (c) => ({ level: 'info', msg: 'login failed', fields: { username: c.user, reason: 'Incorrect username.' }, detail: 'passport verify: Incorrect username.' }) },
  ],
  credentials_missing: [
    { where: 'api', make: () => ({ level: 'warn', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'No authorization token was found', code: 'credentials_required', props: { status: 401 } }, detail: 'express-jwt credentials_required' }) },
    { where: 'login', make: () => ({ level: 'info', msg: 'login failed', fields: { reason: 'Missing credentials' }, detail: 'passport-local Missing credentials' }) },
  ],
  auth_header_malformed: [
    { where: 'api', make: () => ({ level: 'warn', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'Format is Authorization: Bearer [token]', code: 'credentials_bad_scheme', props: { status: 401 } }, detail: 'express-jwt credentials_bad_scheme' }) },
    { where: 'api', make: () => ({ level: 'warn', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'Format is Authorization: Bearer [token]', code: 'credentials_bad_format', props: { status: 401 } }, detail: 'express-jwt credentials_bad_format' }) },
  ],
  token_expired: [
    { where: 'api', make: (c) => jwtLib(c, 'TokenExpiredError', 'jwt expired', { expiredAt: iso(c.at - c.rng.int(5, 3600) * 1000) }) },
    { where: 'api', make: () => jose('JWTExpired', 'ERR_JWT_EXPIRED', '"exp" claim timestamp check failed', { claim: 'exp', reason: 'check_failed' }) },
  ],
  token_not_yet_valid: [
    { where: 'api', make: (c) => jwtLib(c, 'NotBeforeError', 'jwt not active', { date: iso(c.at + c.rng.int(3, 400) * 1000) }) },
    { where: 'api', make: () => jose('JWTClaimValidationFailed', 'ERR_JWT_CLAIM_VALIDATION_FAILED', '"nbf" claim timestamp check failed', { claim: 'nbf', reason: 'check_failed' }) },
    { where: 'api', make: () => jose('JWTClaimValidationFailed', 'ERR_JWT_CLAIM_VALIDATION_FAILED', '"iat" claim timestamp check failed (it should be in the past)', { claim: 'iat', reason: 'check_failed' }) },
  ],
  token_signature_invalid: [
    { where: 'api', make: (c) => jwtLib(c, 'JsonWebTokenError', 'invalid signature') },
    { where: 'api', make: () => jose('JWSSignatureVerificationFailed', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed') },
    { where: 'api', make: () => jose('JWKSNoMatchingKey', 'ERR_JWKS_NO_MATCHING_KEY', 'no applicable key found in the JSON Web Key Set') },
    { where: 'api', make: (c) => jwtLib(c, 'JsonWebTokenError', 'invalid algorithm') },
    { where: 'api', make: (c) => jwtLib(c, 'JsonWebTokenError', 'jwt signature is required') },
  ],
  token_claims_invalid: [
    { where: 'api', make: (c) => jwtLib(c, 'JsonWebTokenError', 'jwt audience invalid. expected: https://api.example.com') },
    { where: 'api', make: (c) => jwtLib(c, 'JsonWebTokenError', 'jwt issuer invalid. expected: https://auth.example.com/') },
    { where: 'api', make: () => jose('JWTClaimValidationFailed', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'unexpected "aud" claim value', { claim: 'aud', reason: 'check_failed' }) },
    { where: 'api', make: () => jose('JWTClaimValidationFailed', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'unexpected "iss" claim value', { claim: 'iss', reason: 'check_failed' }) },
    { where: 'api', make: () => ({ level: 'warn', msg: 'request unauthorized', err: { type: 'InsufficientScopeError', message: 'Insufficient Scope', code: 'insufficient_scope', props: { status: 401 } }, detail: 'express-oauth2-jwt-bearer insufficient_scope' }) },
  ],
  token_invalid: [
    { where: 'api', make: (c) => jwtLib(c, 'JsonWebTokenError', 'jwt malformed') },
    { where: 'api', make: (c) => jwtLib(c, 'JsonWebTokenError', 'invalid token') },
    { where: 'api', make: () => ({ level: 'warn', msg: 'request unauthorized', err: { type: 'UnauthorizedError', message: 'The token has been revoked.', code: 'revoked_token', props: { status: 401 } }, detail: 'express-jwt revoked_token' }) },
  ],
  api_key_invalid: [
    { where: 'api', make: (c) => ({ level: 'warn', msg: 'invalid api key', fields: { keyId: `k_${c.rng.hex(6)}` }, detail: 'app: invalid api key' }) },
    { where: 'api', make: (c) => ({ level: 'warn', msg: 'API key revoked', fields: { keyId: `k_${c.rng.hex(6)}`, revokedAt: iso(c.at - 86400000 * c.rng.int(1, 30)) }, detail: 'app: API key revoked' }) },
    { where: 'api', make: () => ({ level: 'info', msg: 'rejected request: unknown API key', detail: 'app: unknown API key' }) },
  ],
  api_key_restricted: [
    { where: 'api', make: (c) => ({ level: 'warn', msg: 'IP address not allowed for this API key', fields: { keyId: `k_${c.rng.hex(6)}` }, detail: 'app: IP address not allowed for this API key' }) },
    { where: 'api', make: (c) => ({ level: 'warn', msg: 'quota exceeded for API key', fields: { keyId: `k_${c.rng.hex(6)}`, quota: 10000, period: 'day' }, detail: 'app: quota exceeded for API key' }) },
  ],
  session_expired: [
    { where: 'session', make: (c) => ({ level: 'info', msg: 'session not found', fields: { sidHash: c.rng.hex(12) }, detail: 'app: session not found' }) },
    { where: 'session', make: (c) => ({ level: 'info', msg: 'session expired', fields: { sidHash: c.rng.hex(12), idleSeconds: 1800 }, detail: 'app: session expired' }) },
  ],
  oauth_client_invalid: [
    { where: 'oauth', make: () => ({ level: 'info', msg: 'token endpoint error', fields: { error: 'invalid_client', error_description: 'client authentication failed', client_id: 'mobile-app' }, detail: 'oidc-provider invalid_client' }) },
    { where: 'oauth', make: () => ({ level: 'info', msg: 'token endpoint error', fields: { error: 'invalid_grant', error_description: 'grant request is invalid', client_id: 'web-portal' }, detail: 'oidc-provider invalid_grant' }) },
    { where: 'authorize', make: () => ({ level: 'info', msg: 'authorization request error', fields: { error: 'invalid_redirect_uri', error_description: "redirect_uri did not match any of the client's registered redirect_uris", client_id: 'web-portal' }, detail: 'oidc-provider invalid_redirect_uri' }) },
  ],
  account_locked: [
    { where: 'login', make: (c) => ({ level: 'warn', msg: 'login rejected', fields: { username: c.user, reason: 'account locked' }, detail: 'app: account locked' }) },
    { where: 'login', make: (c) => ({ level: 'warn', msg: 'login rejected: account locked after 5 failed attempts', fields: { username: c.user }, detail: 'app: account locked after 5 failed attempts' }) },
    { where: 'login', make: (c) => ({ level: 'warn', msg: 'login rejected: user disabled', fields: { username: c.user }, detail: 'app: user disabled' }) },
  ],
};

/** Spring apps log the exception their AuthenticationEntryPoint or failure handler received. */
function spring(type: string, message: string, detail: string, logger = 'c.e.api.security.RestAuthenticationEntryPoint'): AppMsg {
  return { level: 'warn', msg: 'Authentication failed', err: { type, message }, fields: { logger_name: logger }, detail };
}

const BEARER = 'org.springframework.security.oauth2.server.resource.InvalidBearerTokenException';
const DECODE = 'An error occurred while attempting to decode the Jwt: ';

const SPRING: Partial<Record<Cause, Variant[]>> = {
  credentials_invalid: [
    { where: 'login', make: () => spring('org.springframework.security.authentication.BadCredentialsException', 'Bad credentials', 'Spring Bad credentials', 'c.e.web.security.LoginFailureHandler') },
  ],
  credentials_missing: [
    { where: 'api', make: () => spring('org.springframework.security.authentication.InsufficientAuthenticationException', 'Full authentication is required to access this resource', 'Spring Full authentication is required') },
  ],
  auth_header_malformed: [
    { where: 'api', make: () => spring('org.springframework.security.authentication.BadCredentialsException', 'Failed to decode basic authentication token', 'Spring BasicAuthenticationConverter bad base64') },
    { where: 'api', make: () => spring('org.springframework.security.authentication.BadCredentialsException', 'Invalid basic authentication token', 'Spring BasicAuthenticationConverter no colon') },
  ],
  token_expired: [
    { where: 'api', make: (c) => spring(BEARER, `${DECODE}Jwt expired at ${iso(c.at - c.rng.int(5, 3600) * 1000)}`, 'Spring Jwt expired at') },
  ],
  token_not_yet_valid: [
    { where: 'api', make: (c) => spring(BEARER, `${DECODE}Jwt used before ${iso(c.at + c.rng.int(3, 400) * 1000)}`, 'Spring Jwt used before') },
  ],
  token_signature_invalid: [
    { where: 'api', make: () => spring(BEARER, `${DECODE}Signed JWT rejected: Invalid signature`, 'Spring/Nimbus Invalid signature') },
    { where: 'api', make: () => spring(BEARER, `${DECODE}Signed JWT rejected: Another algorithm expected, or no matching key(s) found`, 'Spring/Nimbus no matching key') },
  ],
  token_claims_invalid: [
    { where: 'api', make: () => spring(BEARER, `${DECODE}The aud claim is not valid`, 'Spring aud claim') },
    { where: 'api', make: () => spring(BEARER, `${DECODE}The iss claim is not valid`, 'Spring iss claim') },
  ],
  token_invalid: [
    { where: 'api', make: () => spring(BEARER, `${DECODE}Invalid JWT serialization: Missing dot delimiter(s)`, 'Spring/Nimbus malformed JWT') },
    { where: 'api', make: () => spring(BEARER, "Provided token isn't active", 'Spring opaque token introspection: not active') },
  ],
  api_key_invalid: [
    { where: 'api', make: (c) => ({ level: 'warn', msg: 'Invalid API key', fields: { logger_name: 'c.e.api.security.ApiKeyFilter', keyId: `k_${c.rng.hex(6)}` }, detail: 'app: Invalid API key' }) },
    { where: 'api', make: (c) => ({ level: 'warn', msg: 'API key revoked', fields: { logger_name: 'c.e.api.security.ApiKeyFilter', keyId: `k_${c.rng.hex(6)}` }, detail: 'app: API key revoked' }) },
  ],
  api_key_restricted: [
    { where: 'api', make: () => ({ level: 'warn', msg: 'IP address not allowed for this API key', fields: { logger_name: 'c.e.api.security.ApiKeyFilter' }, detail: 'app: IP address not allowed for this API key' }) },
    { where: 'api', make: () => ({ level: 'warn', msg: 'Quota exceeded for API key', fields: { logger_name: 'c.e.api.security.ApiKeyFilter', quota: 5000 }, detail: 'app: Quota exceeded for API key' }) },
  ],
  session_expired: [
    { where: 'session', make: () => ({ level: 'info', msg: 'Session expired', fields: { logger_name: 'c.e.web.session.SessionGuard' }, detail: 'app: Session expired' }) },
    { where: 'session', make: () => ({ level: 'info', msg: 'Session not found', fields: { logger_name: 'c.e.web.session.SessionGuard' }, detail: 'app: Session not found' }) },
  ],
  oauth_client_invalid: [
    { where: 'oauth', make: () => spring('org.springframework.security.oauth2.core.OAuth2AuthenticationException', '[invalid_client] Client authentication failed: client_secret', 'Spring AS invalid_client', 'o.s.s.o.s.a.web.OAuth2ClientAuthenticationFilter') },
    { where: 'oauth', make: () => spring('org.springframework.security.oauth2.core.OAuth2AuthenticationException', '[invalid_grant]', 'Spring AS invalid_grant', 'o.s.s.o.s.a.web.OAuth2TokenEndpointFilter') },
    { where: 'authorize', make: () => spring('org.springframework.security.oauth2.core.OAuth2AuthenticationException', '[invalid_request] OAuth 2.0 Parameter: redirect_uri', 'Spring AS redirect_uri mismatch', 'o.s.s.o.s.a.web.OAuth2AuthorizationEndpointFilter') },
  ],
  account_locked: [
    { where: 'login', make: () => spring('org.springframework.security.authentication.LockedException', 'User account is locked', 'Spring LockedException', 'c.e.web.security.LoginFailureHandler') },
    { where: 'login', make: () => spring('org.springframework.security.authentication.DisabledException', 'User is disabled', 'Spring DisabledException', 'c.e.web.security.LoginFailureHandler') },
  ],
};

const STACKS: Record<Stack, Partial<Record<Cause, Variant[]>>> = { node: NODE, spring: SPRING };

/** Causes with a message at this place in the site, for this stack. */
export function hasAppMessage(stack: Stack, cause: Cause, where: Where): boolean {
  return (STACKS[stack][cause] ?? []).some((v) => v.where === where);
}

export function appMessage(stack: Stack, cause: Cause, where: Where, c: MsgCtx): AppMsg {
  const variants = (STACKS[stack][cause] ?? []).filter((v) => v.where === where);
  if (variants.length === 0) throw new Error(`no ${stack} message for ${cause} at ${where}`);
  return c.rng.pick(variants).make(c);
}

/** A 401 the app logs without saying why (truth: unknown). */
export function vagueMessage(stack: Stack): AppMsg {
  return stack === 'node'
    ? { level: 'warn', msg: 'request failed', err: { type: 'HttpError', message: 'Unauthorized', props: { status: 401, expose: true } }, detail: 'app: bare "Unauthorized"' }
    : { level: 'warn', msg: 'Request rejected', fields: { logger_name: 'c.e.api.web.ErrorController', reason: 'Unauthorized' }, detail: 'app: bare "Unauthorized"' };
}

/** Background lines: what a healthy app says all day. */
export function backgroundMessage(stack: Stack, rng: Rng, path: string): AppMsg {
  const node: AppMsg[] = [
    { level: 'info', msg: 'orders listed', fields: { count: rng.int(0, 40) }, detail: '' },
    { level: 'debug', msg: 'cache lookup', fields: { hit: rng.int(0, 1) }, detail: '' },
    { level: 'info', msg: `handled ${path}`, detail: '' },
    { level: 'warn', msg: 'slow query', fields: { ms: rng.int(800, 4000), table: rng.pick(['orders', 'invoices', 'users']) }, detail: '' },
  ];
  const spr: AppMsg[] = [
    { level: 'info', msg: `Completed initialization in ${rng.int(1, 9)} ms`, fields: { logger_name: 'o.s.web.servlet.DispatcherServlet' }, detail: '' },
    { level: 'debug', msg: `Securing GET ${path}`, fields: { logger_name: 'o.s.security.web.FilterChainProxy' }, detail: '' },
    { level: 'info', msg: 'Fetched orders', fields: { logger_name: 'c.e.api.orders.OrderService', count: rng.int(0, 40) }, detail: '' },
    { level: 'warn', msg: `HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=${rng.int(60, 90)}s).`, fields: { logger_name: 'com.zaxxer.hikari.pool.HikariPool' }, detail: '' },
  ];
  return rng.pick(stack === 'node' ? node : spr);
}
