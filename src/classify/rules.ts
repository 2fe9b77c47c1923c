import type { CauseId } from './causes.js';

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
  /** Regular expression source, matched case-insensitively. */
  match: string;
  strength: number;
  /** Shown as evidence; {value} is replaced by the matched text (redacted, shortened). */
  evidence: string;
}

const MSG = 0.9;
const GENERIC = 0.85;

export const BUILTIN_RULES: readonly Rule[] = [
  // --- the request itself, strongest: whatever the app says, these explain this 401 ---
  { id: 'options-preflight', cause: 'cors_preflight', field: 'method', match: '^OPTIONS$', strength: 0.97, evidence: 'OPTIONS request answered 401: the browser preflight failed' },
  { id: 'cache-hit', cause: 'cdn_cached', field: 'cacheStatus', match: '^(HIT|STALE|UPDATING|REVALIDATED|TCP_HIT|TCP_MEM_HIT|TCP_REFRESH_HIT)$', strength: 0.96, evidence: '401 served from cache (cache status {value})' },

  // --- application and error-log messages (libraries' own wording) ---
  { id: 'jwt-expired', cause: 'token_expired', field: 'message', match: 'TokenExpiredError|jwt expired|ERR_JWT_EXPIRED|JWTExpired|"exp" claim timestamp check failed|Jwt expired at|token (has |is )?expired|expired (access )?token|access token provided has expired|token_expired', strength: MSG, evidence: '{value}' },
  { id: 'jwt-not-active', cause: 'token_not_yet_valid', field: 'message', match: 'NotBeforeError|jwt not active|Jwt used before|"nbf" claim timestamp check failed|"iat" claim timestamp check failed|used before issued|token (is )?not yet valid|issued in the future|clock skew', strength: MSG, evidence: '{value}' },
  { id: 'jwt-signature', cause: 'token_signature_invalid', field: 'message', match: 'invalid signature|signature verification failed|JWSSignatureVerificationFailed|ERR_JWS_SIGNATURE_VERIFICATION_FAILED|JWKSNoMatchingKey|ERR_JWKS_NO_MATCHING_KEY|no matching key|unknown kid|no key found for kid|invalid algorithm|jwt signature is required|alg(orithm)?[": ]+none|unsupported algorithm|Signed JWT rejected', strength: MSG, evidence: '{value}' },
  { id: 'jwt-claims', cause: 'token_claims_invalid', field: 'message', match: 'jwt (audience|issuer|subject|id) invalid|JWTClaimValidationFailed|ERR_JWT_CLAIM_VALIDATION_FAILED|insufficient_scope|insufficient scope|invalid (audience|issuer)|"(aud|iss)" claim|The (aud|iss) claim is not valid|scope .*(missing|required)', strength: MSG, evidence: '{value}' },
  { id: 'oauth-client', cause: 'oauth_client_invalid', field: 'message', match: 'invalid_client|unauthorized_client|invalid_grant|invalid_redirect_uri|redirect_uri did not match|OAuth 2.0 Parameter: redirect_uri|redirect_uri (mismatch|does not match|is not registered)|invalid redirect[ _]uri|client authentication failed|invalid client (secret|credentials)|unknown client', strength: MSG, evidence: '{value}' },
  { id: 'account-locked', cause: 'account_locked', field: 'message', match: 'account (is )?locked|User account is locked|account (has been )?(disabled|suspended|deactivated)|user (account )?is disabled|User is disabled|user disabled|locked out|AccountLocked|LockedException|DisabledException|too many (failed )?(login )?attempts', strength: MSG, evidence: '{value}' },
  { id: 'api-key-restricted', cause: 'api_key_restricted', field: 'message', match: '(ip|address|referr?er)( address)? (is )?not allowed|not in (the )?allow[ -]?list|not whitelisted|quota (exceeded|exhausted)|api[ _-]?key.*(quota|limit|not authorized|not permitted|permission|restricted|not allowed)|insufficient permissions for (this )?(api[ _-]?)?key', strength: MSG, evidence: '{value}' },
  { id: 'api-key-invalid', cause: 'api_key_invalid', field: 'message', match: '(invalid|unknown|revoked|disabled|expired|bad) api[ _-]?key|api[ _-]?key (is )?(invalid|unknown|not found|not valid|disabled|revoked|expired)|API key not valid', strength: MSG, evidence: '{value}' },
  { id: 'session-lost', cause: 'session_expired', field: 'message', match: 'session (not found|expired|has expired|is invalid|invalid|timed out|timeout|missing|evicted)|no (such )?session|invalid session|unknown session|session store (unavailable|error|down)|SessionNotFound|could not find session|session cookie (missing|invalid)', strength: MSG, evidence: '{value}' },
  { id: 'header-malformed', cause: 'auth_header_malformed', field: 'message', match: 'credentials_bad_scheme|credentials_bad_format|Invalid basic authentication token|Failed to decode basic authentication token|Format is Authorization: Bearer|AH01614|wrong authentication scheme|malformed (authorization|auth) header|bad authorization header|invalid authorization header|invalid base64|authorization header (is )?malformed|unsupported (authorization|auth) scheme', strength: MSG, evidence: '{value}' },
  { id: 'credentials-missing', cause: 'credentials_missing', field: 'message', match: 'no user/password was provided|credentials_required|No authorization token was found|Full authentication is required|Missing credentials|missing (authorization|auth|bearer)( header| token)?|no (auth|authorization|bearer) (header|token)|authorization header (is )?(missing|required|absent)|no credentials|token not provided|no auth token|unauthenticated request', strength: MSG, evidence: '{value}' },
  { id: 'credentials-invalid', cause: 'credentials_invalid', field: 'message', match: 'password mismatch|was not found in "|AH01617|AH01618|user \\S* ?not found|Incorrect (password|username)|Bad credentials|invalid (user ?name|username|login) or password|invalid credentials|InvalidCredentials|authentication failure|wrong password|password doesn.t match|login failed|unknown user|invalid password|AH01790|AH01792', strength: GENERIC, evidence: '{value}' },
  { id: 'token-invalid', cause: 'token_invalid', field: 'message', match: 'jwt malformed|revoked_token|token (has been )?revoked|invalid_token|invalid token|JsonWebTokenError|JWTInvalid|ERR_JWT_INVALID|JWSInvalid|malformed token|invalid compact JWS|Invalid JWT|token (is )?not valid|token isn.t active|token is not active|inactive token', strength: GENERIC - 0.05, evidence: '{value}' },

  // --- the logged WWW-Authenticate header (RFC 6750, RFC 7235) ---
  { id: 'www-expired', cause: 'token_expired', field: 'wwwAuthenticate', match: 'error="?invalid_token"?.*expired', strength: 0.88, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-signature', cause: 'token_signature_invalid', field: 'wwwAuthenticate', match: 'error="?invalid_token"?.*(signature|kid|key)', strength: 0.88, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-not-yet', cause: 'token_not_yet_valid', field: 'wwwAuthenticate', match: 'error="?invalid_token"?.*(not yet valid|before|future|nbf|iat)', strength: 0.88, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-claims', cause: 'token_claims_invalid', field: 'wwwAuthenticate', match: 'error="?insufficient_scope|error="?invalid_token"?.*(audience|issuer|aud|iss)', strength: 0.86, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-revoked', cause: 'token_invalid', field: 'wwwAuthenticate', match: 'error="?invalid_token"?.*(revoked|malformed)', strength: 0.84, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-request', cause: 'auth_header_malformed', field: 'wwwAuthenticate', match: 'error="?invalid_request', strength: 0.8, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-invalid-token', cause: 'token_invalid', field: 'wwwAuthenticate', match: 'error="?invalid_token', strength: 0.7, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-client', cause: 'oauth_client_invalid', field: 'wwwAuthenticate', match: 'error="?(invalid_client|unauthorized_client|invalid_grant)', strength: 0.85, evidence: 'WWW-Authenticate: {value}' },
  { id: 'www-bearer-bare', cause: 'credentials_missing', field: 'wwwAuthenticate', match: '^\\s*Bearer(\\s+realm="[^"]*")?\\s*$', strength: 0.7, evidence: 'WWW-Authenticate: {value} (no error code: no credentials were sent, RFC 6750 3.1)' },
  { id: 'www-handshake', cause: 'auth_challenge', field: 'wwwAuthenticate', match: '^\\s*(Negotiate|NTLM)\\s*$', strength: 0.55, evidence: 'WWW-Authenticate: {value} (first step of a Negotiate/NTLM handshake)' },

  // --- weaker hints from the request line ---
  { id: 'remote-user', cause: 'credentials_invalid', field: 'user', match: '.', strength: 0.6, evidence: 'user "{value}" was sent and refused (Basic auth)' },
  { id: 'token-endpoint', cause: 'oauth_client_invalid', field: 'path', match: '/oauth2?/(token|authorize)$|/connect/token$|/protocol/openid-connect/token$', strength: 0.55, evidence: '401 from the OAuth endpoint {value}' },
];
