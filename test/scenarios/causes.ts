/**
 * The cause ids the CLI reports, as the test data names them. Kept here (not
 * imported from src/) so the scenarios state the contract independently of
 * the implementation they score.
 */
export const CAUSES = [
  'credentials_invalid', 'credentials_missing', 'auth_header_malformed', 'auth_header_stripped', 'token_expired',
  'token_not_yet_valid', 'token_signature_invalid', 'token_claims_invalid', 'token_invalid', 'api_key_invalid',
  'api_key_restricted', 'cors_preflight', 'session_expired', 'session_not_sticky', 'oauth_client_invalid',
  'account_locked', 'brute_force', 'cdn_cached', 'auth_challenge', 'unknown',
] as const;

export type Cause = (typeof CAUSES)[number];

export function isCause(s: string): s is Cause {
  return (CAUSES as readonly string[]).includes(s);
}
