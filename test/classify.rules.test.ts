import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../src/classify/rules.js';
import { RuleSet, strongest } from '../src/classify/ruleSet.js';
import type { LogRecord } from '../src/record.js';

/**
 * Every built-in rule has real samples here (as the libraries write them),
 * and each sample must end up with that rule's cause once all rules compete.
 */
const MESSAGE_SAMPLES: Record<string, string[]> = {
  'jwt-expired': ['TokenExpiredError: jwt expired', '"exp" claim timestamp check failed', 'Jwt expired at 2026-03-12T01:00:00Z', 'An error occurred while attempting to decode the Jwt: Jwt expired at 2026-03-12T01:00:00Z'],
  'jwt-not-active': ['NotBeforeError: jwt not active', 'Jwt used before 2026-03-12T10:01:20Z', '"nbf" claim timestamp check failed'],
  'jwt-signature': ['JsonWebTokenError: invalid signature', 'JWSSignatureVerificationFailed: signature verification failed', 'JWKSNoMatchingKey: no applicable key found in the JSON Web Key Set', 'JsonWebTokenError: jwt signature is required', 'JsonWebTokenError: invalid algorithm'],
  'jwt-claims': ['JsonWebTokenError: jwt audience invalid. expected: api://orders', 'JWTClaimValidationFailed: unexpected "iss" claim value', 'insufficient_scope'],
  'oauth-client': ['{"error":"invalid_client","error_description":"Client authentication failed"}', 'invalid_grant: refresh token is invalid', 'redirect_uri mismatch', 'invalid_redirect_uri: redirect_uri did not match any of the client\'s registered redirect_uris', '[invalid_request] OAuth 2.0 Parameter: redirect_uri'],
  'account-locked': ['User account is locked', 'login rejected: user disabled', 'LockedException: account locked after 5 failed attempts', 'User is disabled'],
  'api-key-restricted': ['IP address not allowed for this API key', 'quota exceeded for API key k_live', 'API key not authorized for this service'],
  'api-key-invalid': ['invalid api key', 'API key revoked', 'unknown API key'],
  'session-store-down': ['session store unavailable: ECONNREFUSED 10.0.0.5:6379', 'redis-session-store: Redis::CannotConnectError, continuing with an empty session'],
  'anonymous-denied': ['Authorization failed. These requirements were not met: DenyAnonymousAuthorizationRequirement: Requires an authenticated user.'],
  'challenge-nonce': ['AH01778: user bob: nonce expired (301.2 seconds old - max lifetime 300) - sending new nonce'],
  'session-lost': ['session not found', 'Session expired, please log in again', 'Session [abc] not found in store'],
  'header-malformed': ['UnauthorizedError: Format is Authorization: Bearer [token]', 'credentials_bad_scheme', 'Invalid basic authentication token', 'AH01614: client used wrong authentication scheme: /admin'],
  'credentials-missing': ['no user/password was provided for basic authentication', 'UnauthorizedError: No authorization token was found', 'Full authentication is required to access this resource', 'Missing credentials'],
  'credentials-invalid': ['user "bob": password mismatch', 'user "eve" was not found in "/etc/nginx/.htpasswd"', 'AH01617: user bob: authentication failure for "/admin": Password Mismatch', "AH01618: user eve not found: /admin", 'Bad credentials', 'Incorrect password.'],
  'token-invalid': ['JsonWebTokenError: jwt malformed', 'Provided token isn\'t active', 'UnauthorizedError: revoked_token', 'invalid token'],
};

const RECORD_SAMPLES: Record<string, Partial<LogRecord>> = {
  'options-preflight': { method: 'OPTIONS' },
  'cache-hit': { cacheStatus: 'HIT' },
  'www-expired': { wwwAuthenticate: 'Bearer error="invalid_token", error_description="The access token expired"' },
  'www-signature': { wwwAuthenticate: 'Bearer error="invalid_token", error_description="signature key not found (kid)"' },
  'www-not-yet': { wwwAuthenticate: 'Bearer error="invalid_token", error_description="token not yet valid"' },
  'www-claims': { wwwAuthenticate: 'Bearer realm="api", error="insufficient_scope", scope="orders:write"' },
  'www-revoked': { wwwAuthenticate: 'Bearer error="invalid_token", error_description="token revoked"' },
  'www-request': { wwwAuthenticate: 'Bearer error="invalid_request"' },
  'www-invalid-token': { wwwAuthenticate: 'Bearer error="invalid_token"' },
  'www-client': { wwwAuthenticate: 'Basic error="invalid_client"' },
  'www-bearer-bare': { wwwAuthenticate: 'Bearer realm="api"' },
  'www-handshake': { wwwAuthenticate: 'Negotiate' },
  'remote-user': { user: 'bob' },
  'remote-user-empty': { user: '' },
};

const rules = new RuleSet(BUILTIN_RULES);
const base: LogRecord = { kind: 'access', input: 'a.log', line: 1, time: 0, status: 401, method: 'GET', path: '/x' };

describe('built-in rule table', () => {
  it('has samples for every rule', () => {
    const covered = new Set([...Object.keys(MESSAGE_SAMPLES), ...Object.keys(RECORD_SAMPLES)]);
    expect(BUILTIN_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  for (const rule of BUILTIN_RULES) {
    it(`${rule.id} -> ${rule.cause}`, () => {
      if (rule.field === 'message') {
        for (const m of MESSAGE_SAMPLES[rule.id]) {
          expect(strongest(rules.messageCandidates(m, 'app.log:1'))?.cause, m).toBe(rule.cause);
        }
      } else {
        const rec = { ...base, ...RECORD_SAMPLES[rule.id] };
        expect(strongest(rules.responseCandidates(rec))?.cause).toBe(rule.cause);
      }
    });
  }

  it('ignores messages that are not about authentication', () => {
    for (const m of ['GET /health 200', 'connect() failed (111: Connection refused) while connecting to upstream', 'open() "/var/www/favicon.ico" failed (2: No such file or directory)', 'request completed']) {
      expect(rules.messageCandidates(m, 'x')).toEqual([]);
    }
  });

  it('answers a repeated message as the first time, with each line\'s own origin, however many messages came between', () => {
    const set = new RuleSet(BUILTIN_RULES);
    const m = 'authentication failed: jwt expired token=abcdefgh12345678';
    const first = set.messageCandidates(m, 'app.log:1 (request r1)');
    expect(first.length).toBeGreaterThan(0);
    expect(first[0].evidence).toMatch(/^app\.log:1 \(request r1\): "/);
    expect(first[0].evidence).not.toContain('abcdefgh12345678');
    // Each of these is new to `reference`, which therefore works each one out afresh.
    const reference = new RuleSet(BUILTIN_RULES);
    for (let i = 0; i < 3000; i++) {
      const other = i % 2 === 0 ? `login failed for user${i}: bad password` : `GET /health ${i}`;
      expect(set.messageCandidates(other, `a:${i}`)).toEqual(reference.messageCandidates(other, `a:${i}`));
      if (i % 500 === 0) expect(set.messageCandidates(other, `b:${i}`)).toEqual(reference.messageCandidates(other, `b:${i}`));
    }
    const again = set.messageCandidates(m, 'app.log:9', 0.5);
    expect(again).toEqual(first.map((c) => ({ ...c, strength: c.strength * 0.5, evidence: c.evidence.replace('app.log:1 (request r1)', 'app.log:9') })));
    expect(set.messageCandidates(m, 'app.log:1 (request r1)')).toEqual(first);
  });

  it('remembers copies: messages cut from long lines do not keep the lines alive', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const set = new RuleSet(BUILTIN_RULES);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1000; i++) {
      const line = `${'x'.repeat(65536)} jwt expired for request ${i}`.split('').join('');
      expect(set.messageCandidates(line.slice(65537), 'e.log:1').length).toBeGreaterThan(0);
    }
    gc();
    // 1000 lines are ~66 MB; the remembered messages and their evidence text, ~60 KB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('prefers the specific token cause over a generic word in the same message', () => {
    const m = '{"error":"InvalidCredentials","description":"The access token provided has expired."}';
    expect(strongest(rules.messageCandidates(m, 'x'))?.cause).toBe('token_expired');
  });
});

describe('cause ids', () => {
  it('are the ones the test data names, in the same order', async () => {
    const { CAUSE_IDS } = await import('../src/classify/causes.js');
    const { CAUSES } = await import('./scenarios/causes.js');
    expect([...CAUSE_IDS]).toEqual([...CAUSES]);
  });
});
