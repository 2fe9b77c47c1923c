import type { CauseId } from './causes.js';
import type { Localized } from './evidenceText.js';

/**
 * The rule table: each row matches one field with a regular expression and
 * names a cause, a strength (0..1, the confidence it gives) and the evidence
 * text. `message` rules read the correlated application and error-log lines;
 * the other fields read the response itself. When several rules match, the
 * strongest wins; on a tie, the earlier row. Users append rows with --rules.
 */
export type RuleField = 'message' | 'wwwAuthenticate' | 'method' | 'cacheStatus' | 'user' | 'path' | 'userAgent' | 'upstreamStatus';

export interface Rule {
  id: string;
  cause: CauseId;
  field: RuleField;
  /** Regular expression source (or alternatives, one per entry), matched case-insensitively. */
  match: string | readonly string[];
  strength: number;
  /** Shown as evidence, in the report's language when given in each; {value} is replaced by the matched text (redacted, shortened). */
  evidence: string | Localized;
}

const MSG = 0.9;
const GENERIC = 0.85;

export const BUILTIN_RULES: readonly Rule[] = [
  // --- the request itself, strongest: whatever the app says, these explain this 401 ---
  { id: 'options-preflight', cause: 'cors_preflight', field: 'method', match: '^OPTIONS$', strength: 0.97, evidence: { en: 'OPTIONS request answered 401: the browser preflight failed', ja: 'OPTIONS リクエストに 401: ブラウザーのプリフライトが失敗' } },
  { id: 'cache-hit', cause: 'cdn_cached', field: 'cacheStatus', match: ['^(HIT|STALE|UPDATING|REVALIDATED|TCP_HIT|TCP_MEM_HIT|TCP_REFRESH_HIT)\\b', '^Hit from ', '^RefreshHit from '], strength: 0.96, evidence: { en: '401 served from cache (cache status {value})', ja: 'キャッシュから返された 401（キャッシュ状態 {value}）' } },

  // --- application and error-log messages (libraries' own wording) ---
  // Specific token causes first: a message often also carries a generic word ("invalid token: jwt expired").
  {
    id: 'jwt-expired', cause: 'token_expired', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'jwt is expired', 'no longer valid.{0,80}Expiration Time', 'on or after the Expiration Time', 'past its exp', 'exp claim', 'id-token-expired', 'Access Token has expired', 'reason: TokenExpired', 'TokenExpired',
      'TokenExpiredError', 'jwt expired', 'ERR_JWT_EXPIRED', 'JWTExpired', '"exp" claim timestamp check failed', // jsonwebtoken, jose
      'Jwt expired at', // Spring Security
      'ExpiredSignatureError', 'Signature has expired', // PyJWT, ruby-jwt
      'ExpiredJwtException', 'JWT expired at', // jjwt
      'IDX10223', // ASP.NET Core (IDX10222, also 'Lifetime validation failed', is not-yet-valid)
      'Expired JWT Token', 'expired_token', 'token_expired',
      '\\btoken (has |is )?expired', 'expired (access |id |jwt |bearer )?token', 'access token provided has expired',
      'token expired at', '\\(exp\\)', '"exp":\\s*"token expired"',
    ],
  },
  {
    id: 'jwt-not-active', cause: 'token_not_yet_valid', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'jwt (is )?not yet valid', 'Not Before', 'in the future', 'nbf claim',
      'NotBeforeError', 'jwt not active', '"nbf" claim timestamp check failed', '"iat" claim timestamp check failed',
      'Jwt used before', 'used before issued', 'ImmatureSignatureError', 'PrematureJwtException',
      'IDX10222', 'IDX10224', // ASP.NET Core: not yet valid / iat
      '\\b(is )?not (yet )?valid yet', 'not yet valid', '\\((nbf|iat)\\)', 'issued in the future',
      'The token is not yet valid', 'issued at .* in the future',
    ],
  },
  {
    id: 'jwt-signature', cause: 'token_signature_invalid', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'signature mismatch', 'Jwks doesn.t have key', 'jwt verification fails', 'suitable (verification )?key', 'JWT signature is invalid', 'invalid JWT signature', 'key .{0,40}not found in (the )?(jwks|key set)',
      'invalid signature', 'signature (verification|validation) failed', 'signature is invalid', 'signature does not match',
      'JWSSignatureVerificationFailed', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'InvalidSignatureError', 'SignatureException',
      'JWKSNoMatchingKey', 'ERR_JWKS_NO_MATCHING_KEY', 'no (matching|applicable|suitable) key', 'unknown kid', 'kid .{0,40}not found',
      'no key found for kid', 'not found in (the )?JWKS', 'Unable to find a signing key', 'signing key .{0,30}not found', 'unable to (find|match) key',
      'IDX10501', 'IDX10503', 'IDX10511', 'IDX10500', // ASP.NET Core
      'invalid algorithm', 'InvalidAlgorithmError', 'unexpected signature algorithm', 'alg(orithm)? (value )?is not allowed',
      'algorithm .{0,30}not (allowed|supported)', 'unsupported algorithm', 'alg(orithm)?[": ]+none', 'jwt signature is required',
      'Signed JWT rejected', 'error in cryptographic primitive', 'crypto/(rsa|ecdsa|ed25519): verification error',
      'Unable to verify the given JWT', 'could not verify (the )?(token|jwt) signature',
    ],
  },
  {
    id: 'jwt-claims', cause: 'token_claims_invalid', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'audiences in jwt are not allowed', 'jwt issuer is not configured', 'issuer claim', 'incorrect "?aud"?', 'incorrect "?iss"?', 'aud(ience)? claim',
      'jwt (audience|issuer|subject|id) invalid', 'JWTClaimValidationFailed', 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      'InvalidAudienceError', 'InvalidIssuerError', 'IDX10214', 'IDX10205', 'IDX10208', 'IDX10211', // PyJWT, ASP.NET Core
      'insufficient[_ ]scope', 'invalid (token )?(audience|issuer)', 'audience (doesn.t|does not) match', '(audience|issuer) (validation )?(failed|mismatch|is invalid)',
      'The (audience|issuer) .{0,80} is invalid', '"(aud|iss)" claim', 'The (aud|iss) claim is not valid', '\\((aud|iss)\\)',
      'unexpected "?(aud|iss)"? claim', 'scope .{0,40}(missing|required|not granted)', 'lacks? (the )?(required )?scope',
    ],
  },
  {
    id: 'oauth-client', cause: 'oauth_client_invalid', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'refresh token is invalid', 'invalid refresh token',
      'invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_redirect_uri', 'redirect_uri did not match',
      'OAuth 2.0 Parameter: redirect_uri', 'redirect_uri (mismatch|does not match|is not registered)', 'invalid redirect[ _]uri',
      'client authentication failed', 'invalid client (secret|credentials|id)', 'unknown client', 'client_not_found', 'client not found',
    ],
  },
  {
    id: 'account-locked', cause: 'account_locked', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'Password attempts exceeded', 'attempts exceeded',
      '(?<!before (your|the) )account (is |has been )?(temporarily )?locked', 'User account is locked', 'account (has been |is )?(disabled|suspended|deactivated|inactive)',
      'user (account )?(is )?(disabled|inactive|deactivated|suspended)', 'user_(temporarily_)?disabled', 'user inactive', 'inactive or deleted',
      'locked out', 'AccountLocked', 'LockedException', 'DisabledException', 'account_locked', 'too many failed (login )?attempts',
    ],
  },
  {
    id: 'api-key-restricted', cause: 'api_key_restricted', field: 'message', strength: MSG + 0.01, evidence: '{value}',
    match: [
      'key is valid, but', 'does not include (the )?API', '(subscription|api|access)[ _-]?key.{0,60}(not allowed|not permitted|restricted|quota|limit)',
      '(ip|address|referr?er|origin)( address)? .{0,40}(is )?not (allowed|permitted)', 'not in (the )?allow[ -]?list', 'not whitelisted',
      'quota (exceeded|exhausted)', '(request|rate) limit (exceeded|reached) for (this |the )?(api[ _-]?)?key',
      'api[ _-]?key.{0,60}(quota|limit|not authorized|not permitted|permission|restricted|not allowed|scope)',
      '\\bkey\\b.{0,40}(lacks|missing|without) (the )?(scope|permission)', '(allow[ -]?list|quota).{0,40}\\bkey\\b',
      'insufficient permissions for (this )?(api[ _-]?)?key',
    ],
  },
  {
    id: 'api-key-invalid', cause: 'api_key_invalid', field: 'message', strength: MSG + 0.01, evidence: '{value}',
    match: [
      'invalid (subscription|access|api)[ _-]?key', '(subscription|access)[ _-]?key (is )?(invalid|unknown|revoked|disabled|expired|not valid)',
      '(invalid|unknown|revoked|disabled|expired|bad|wrong) api[ _-]?key', 'api[ _-]?key (is )?(invalid|unknown|not found|not valid|disabled|revoked|expired)',
      'API key not valid', '\\bkey (was |has been |is )?(revoked|disabled|deactivated|expired)\\b', 'key-auth.{0,80}invalid authentication credentials',
      'invalid api[ _-]?(token|credentials)',
    ],
  },
  {
    // A session store outage loses every session: a different backend is not the cause then.
    id: 'session-store-down', cause: 'session_expired', field: 'message', strength: MSG + 0.02, evidence: '{value}',
    match: [
      'session store (unavailable|error|down)', '(redis|memcache)[-_ ]?session[-_ ]?store.{0,40}(error|unavailable|refused|CannotConnect)',
      'CannotConnectError.{0,80}session', 'session.{0,60}(Connection refused|ECONNREFUSED|timed out connecting)', 'continuing with an empty session',
    ],
  },
  {
    id: 'session-lost', cause: 'session_expired', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'session (not found|expired|has expired|is invalid|invalid|timed out|timeout|missing|evicted)', 'session \\S+ not found', 'not found in (the )?(session )?store',
      'no (such )?session', 'invalid session', 'unknown session', 'session store (unavailable|error|down)', 'SessionNotFound',
      'could not find session', 'session cookie (missing|invalid)', '(redis|memcache)[-_ ]?session', 'empty session', 'session (data )?lost',
      'Your session expired',
    ],
  },
  {
    id: 'challenge-nonce', cause: 'auth_challenge', field: 'message', strength: MSG, evidence: '{value}',
    match: ['AH01778', 'nonce expired', 'stale nonce', 'sending new nonce'],
  },
  {
    id: 'header-malformed', cause: 'auth_header_malformed', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'credentials_bad_scheme', 'credentials_bad_format', 'Format is Authorization: Bearer', 'format must be Bearer',
      'Invalid basic authentication token', 'Failed to decode basic authentication token', 'Invalid basic header', 'Invalid token header',
      'not correctly base64 encoded', 'should not contain spaces', 'Multiple tokens provided', 'AH01614', 'AH01781', 'AH01782',
      'missing user, realm, nonce', 'wrong authentication scheme', 'malformed (authorization|auth) header', 'bad authorization header',
      'invalid authorization header', 'invalid base64', 'authorization header (is )?malformed', 'unsupported (authorization|auth(entication)?) scheme',
      'Bad Authorization header', 'Expected .?Authorization: Bearer',
    ],
  },
  {
    id: 'credentials-missing', cause: 'credentials_missing', field: 'message', strength: MSG, evidence: '{value}',
    match: [
      'jwt is missing', 'missing (subscription|api)[ _-]?key', 'credentials (are )?missing', 'missing "?authorization"? header', 'No auth token',
      'no user/password was provided', 'credentials_required', 'No authorization token was found', 'Full authentication is required',
      'Missing credentials', 'Authentication credentials were not provided', 'You need to sign in', 'JWT Token not found',
      'No API key found', '(^|[|:"] ?)Not authenticated', 'Missing Authorization Header', 'missing (authorization|auth|bearer|access)( header| token| cookie)?',
      'no (auth|authorization|bearer|access) (header|token)', 'no (bearer )?token (in|found in) (the )?request', 'authorization header (is )?(missing|required|absent)',
      'no credentials', 'token not provided', 'no auth token', 'unauthenticated request', 'jwt missing', 'Missing cookie',
    ],
  },
  {
    // "No authenticated user" is a consequence: any line saying why authentication failed beats it.
    id: 'anonymous-denied', cause: 'credentials_missing', field: 'message', strength: 0.6, evidence: '{value}',
    match: ['DenyAnonymous', 'anonymous (user|request).{0,40}(denied|not allowed)', 'Requires an authenticated user'],
  },
  {
    id: 'credentials-invalid', cause: 'credentials_invalid', field: 'message', strength: GENERIC, evidence: '{value}',
    match: [
      'UserNotFoundException', 'User does not exist', 'NotAuthorizedException: Incorrect',
      'password mismatch', 'was not found in "', 'AH01617', 'AH01618', 'AH01790', 'AH01792', 'AH01695',
      'user \\S* ?not found', 'user_not_found', 'invalid_user_credentials', 'Incorrect (password|username)', 'Bad credentials',
      'invalid (user ?name|username|email|login)( or |/)password', 'invalid credentials', 'InvalidCredentials', 'authentication failure',
      'wrong password', 'password doesn.t match', 'login failed', 'unknown user', 'invalid password', 'No active account found',
      'one more attempt before', 'attempts? (left|remaining) before',
    ],
  },
  {
    id: 'token-invalid', cause: 'token_invalid', field: 'message', strength: GENERIC - 0.05, evidence: '{value}',
    match: [
      'not in the form of Header.Payload.Signature', 'token is inactive', 'Invalid serialized', 'Missing part delimiters', 'Invalid JOSE Compact Serialization', 'Decoding .{0,30}token failed', 'id-token-revoked', 'auth/argument-error', 'Failed to parse JWT',
      'jwt malformed', 'token is malformed', 'malformed (jwt|token)', 'revoked_token', 'revoked token', 'token (has been |was |is )?revoked',
      'blacklisted', 'invalid_token', 'invalid (jwt )?token', 'JsonWebTokenError', 'JWTInvalid', 'ERR_JWT_INVALID', 'JWSInvalid',
      'DecodeError', 'Not enough( or too many)? segments', 'invalid number of segments', 'Invalid crypto padding', 'Invalid header padding',
      'invalid compact JWS', 'Invalid JWT', 'token (is )?not valid', 'token isn.t active', 'token is not active', 'inactive token',
      'token has wrong type', 'Bad token', 'IDX14100', 'IDX12741', 'IDX12709', 'could not (decode|parse) (the )?(jwt|token)',
    ],
  },

  // --- the logged WWW-Authenticate header (RFC 6750, RFC 7235) ---
  { id: 'www-expired', cause: 'token_expired', field: 'wwwAuthenticate', match: 'error="?invalid_token"?.*expired', strength: 0.88, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-signature', cause: 'token_signature_invalid', field: 'wwwAuthenticate', match: 'error="?invalid_token"?.*(signature|kid|key)', strength: 0.88, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-not-yet', cause: 'token_not_yet_valid', field: 'wwwAuthenticate', match: 'error="?invalid_token"?.*(not yet valid|before|future|nbf|iat)', strength: 0.88, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-claims', cause: 'token_claims_invalid', field: 'wwwAuthenticate', match: 'error="?insufficient_scope|error="?invalid_token"?.*(audience|issuer|aud|iss)', strength: 0.86, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-revoked', cause: 'token_invalid', field: 'wwwAuthenticate', match: 'error="?invalid_token"?.*(revoked|malformed)', strength: 0.84, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-request', cause: 'auth_header_malformed', field: 'wwwAuthenticate', match: 'error="?invalid_request', strength: 0.8, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-invalid-token', cause: 'token_invalid', field: 'wwwAuthenticate', match: 'error="?invalid_token', strength: 0.7, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-client', cause: 'oauth_client_invalid', field: 'wwwAuthenticate', match: 'error="?(invalid_client|unauthorized_client|invalid_grant)', strength: 0.85, evidence: 'WWW-Authenticate: {value}' },
  // Weak: some frameworks (FastAPI) send a bare challenge for bad tokens too.
  { id: 'www-bearer-bare', cause: 'credentials_missing', field: 'wwwAuthenticate', match: '^\\s*Bearer(\\s+realm="[^"]*")?\\s*$', strength: 0.5, evidence: { en: 'WWW-Authenticate: {value} (no error code: no credentials were sent, RFC 6750 3.1)', ja: 'WWW-Authenticate: {value}（エラーコードなし: 資格情報が送られていない。RFC 6750 3.1）' } },
  { id: 'www-handshake', cause: 'auth_challenge', field: 'wwwAuthenticate', match: '^\\s*(Negotiate|NTLM)\\s*$', strength: 0.55, evidence: { en: 'WWW-Authenticate: {value} (first step of a Negotiate/NTLM handshake)', ja: 'WWW-Authenticate: {value}（Negotiate/NTLM ハンドシェイクの最初の段階）' } },

  // --- weaker hints from the request line ---
  { id: 'remote-user', cause: 'credentials_invalid', field: 'user', match: '.', strength: 0.6, evidence: { en: 'user "{value}" was sent and refused (Basic auth)', ja: 'ユーザー "{value}" が送られ、拒否された（Basic 認証）' } },
  // Apache writes "" for a user name that was sent empty (logged as user ''): credentials came, without a name.
  { id: 'remote-user-empty', cause: 'credentials_invalid', field: 'user', match: '^$', strength: 0.6, evidence: { en: 'an empty user name was sent and refused (Basic auth)', ja: '空のユーザー名が送られ、拒否された（Basic 認証）' } },
];
