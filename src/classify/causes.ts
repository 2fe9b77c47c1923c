import type { Lang } from '../i18n/labels.js';

/**
 * The causes logscan names, with a label and a one-line remedy in each
 * language. Order is the order of the cause table when counts tie.
 */
export const CAUSE_IDS = [
  'credentials_invalid', 'credentials_missing', 'auth_header_malformed', 'auth_header_stripped', 'token_expired',
  'token_not_yet_valid', 'token_signature_invalid', 'token_claims_invalid', 'token_invalid', 'api_key_invalid',
  'api_key_restricted', 'cors_preflight', 'session_expired', 'session_not_sticky', 'oauth_client_invalid',
  'account_locked', 'brute_force', 'cdn_cached', 'auth_challenge', 'unknown',
] as const;

export type CauseId = (typeof CAUSE_IDS)[number];

export function isCauseId(s: string): s is CauseId {
  return (CAUSE_IDS as readonly string[]).includes(s);
}

interface CauseText { label: string; remedy: string }

const TEXT: Record<CauseId, Record<Lang, CauseText>> = {
  credentials_invalid: {
    en: { label: 'Wrong user name or password', remedy: 'Re-enter the credentials (watch for pasted spaces, case, full-width characters); check the account exists in this auth realm.' },
    ja: { label: 'ユーザー名またはパスワードの誤り', remedy: '資格情報を入力し直してください（貼り付け時の空白、大文字小文字、全角文字に注意）。アカウントがこの認証領域に存在するかも確認します。' },
  },
  credentials_missing: {
    en: { label: 'No credentials sent', remedy: 'Make the client send credentials; check the environment variable or config that should hold them.' },
    ja: { label: '資格情報が送られていない', remedy: 'クライアントが資格情報を送るようにします。値を保持するはずの環境変数や設定ファイルを確認してください。' },
  },
  auth_header_malformed: {
    en: { label: 'Authorization header in the wrong shape', remedy: 'Send exactly "Authorization: Bearer <token>" or "Basic base64(user:password)"; reproduce with curl.' },
    ja: { label: 'Authorization ヘッダーの形式誤り', remedy: '「Authorization: Bearer <トークン>」または「Basic base64(ユーザー:パスワード)」の形式で送ります。curl で再現して確認してください。' },
  },
  auth_header_stripped: {
    en: { label: 'Authorization header dropped by a proxy', remedy: 'Pass the header through every hop (nginx proxy_set_header Authorization, Apache CGIPassAuth On); check header size limits and rewrites.' },
    ja: { label: 'プロキシで Authorization ヘッダーが削除された', remedy: '経路上のすべての中継でヘッダーを転送します（nginx の proxy_set_header Authorization、Apache の CGIPassAuth On）。ヘッダーサイズ制限や書き換え設定も確認してください。' },
  },
  token_expired: {
    en: { label: 'Access token expired', remedy: 'Refresh the token (refresh-token flow) or issue a new one; make sure the client drops the cached old token.' },
    ja: { label: 'アクセストークンの有効期限切れ', remedy: 'リフレッシュトークンで更新するか新しいトークンを発行します。クライアントが古いトークンを使い続けていないか確認してください。' },
  },
  token_not_yet_valid: {
    en: { label: 'Token not yet valid (clock skew)', remedy: 'Synchronise clocks with NTP on servers and devices; allow a small leeway for nbf/iat.' },
    ja: { label: 'トークンがまだ有効でない（時刻のずれ）', remedy: 'サーバーと端末の時刻を NTP で同期し、nbf/iat の判定に少しの猶予を設けてください。' },
  },
  token_signature_invalid: {
    en: { label: 'Token signature rejected (key, kid or alg)', remedy: 'Refresh the JWKS or public key after a key rotation, check kid and alg, never accept alg "none".' },
    ja: { label: 'トークン署名の検証失敗（鍵・kid・alg）', remedy: '鍵のローテーション後は JWKS や公開鍵を更新し、kid と alg を確認します。alg "none" は受け付けないでください。' },
  },
  token_claims_invalid: {
    en: { label: 'Token issuer, audience or scope mismatch', remedy: 'Compare iss, aud and the requested scopes with what the API expects.' },
    ja: { label: 'トークンの発行者・対象者・スコープの不一致', remedy: 'iss、aud、要求したスコープが API の設定と一致しているか確認してください。' },
  },
  token_invalid: {
    en: { label: 'Token malformed or revoked', remedy: 'Revoke and re-issue the token, then retry.' },
    ja: { label: 'トークンが不正または失効済み', remedy: 'トークンを失効させて再発行し、再試行してください。' },
  },
  api_key_invalid: {
    en: { label: 'API key unknown, disabled or revoked', remedy: 'Re-issue the key; check the header name or query parameter the API expects.' },
    ja: { label: 'API キーが無効・停止・失効', remedy: 'キーを再発行し、API が期待するヘッダー名やクエリパラメーターを確認してください。' },
  },
  api_key_restricted: {
    en: { label: 'API key not allowed here (IP, permission, quota)', remedy: 'Update the allowed IP list, widen the key\'s permissions, or ask for a higher limit.' },
    ja: { label: 'API キーの利用制限（IP・権限・回数）', remedy: '許可 IP リストを更新するか、キーの権限を見直すか、上限の引き上げを申請してください。' },
  },
  cors_preflight: {
    en: { label: 'CORS preflight (OPTIONS) rejected', remedy: 'Let OPTIONS through without auth; answer with Access-Control-Allow-Origin (not * with credentials) and Access-Control-Allow-Credentials.' },
    ja: { label: 'CORS プリフライト（OPTIONS）の拒否', remedy: 'OPTIONS は認証なしで通し、Access-Control-Allow-Origin（資格情報付きなら * 不可）と Access-Control-Allow-Credentials を返してください。' },
  },
  session_expired: {
    en: { label: 'Session expired or lost', remedy: 'Check the session store TTL, memory and connection, and cookie attributes (SameSite, Secure, Domain).' },
    ja: { label: 'セッションの期限切れ・消失', remedy: 'セッションストアの TTL・メモリ・接続状態と、Cookie の属性（SameSite、Secure、Domain）を確認してください。' },
  },
  session_not_sticky: {
    en: { label: 'Session sent to a backend that does not know it', remedy: 'Enable sticky sessions on the load balancer or use a shared session store.' },
    ja: { label: 'セッションを知らないバックエンドへの振り分け', remedy: 'ロードバランサーでスティッキーセッションを有効にするか、共有セッションストアを使ってください。' },
  },
  oauth_client_invalid: {
    en: { label: 'OAuth client or grant rejected', remedy: 'Check the client id and secret, the registered redirect URI and the grant type.' },
    ja: { label: 'OAuth クライアントまたはグラントの拒否', remedy: 'クライアント ID とシークレット、登録済みのリダイレクト URI、グラント種別を確認してください。' },
  },
  account_locked: {
    en: { label: 'Account locked or disabled', remedy: 'Unlock or re-enable the account; review the lockout policy.' },
    ja: { label: 'アカウントのロック・無効化', remedy: 'アカウントのロックを解除し、ロックアウトの方針を見直してください。' },
  },
  brute_force: {
    en: { label: 'Password guessing (brute force)', remedy: 'Block or rate-limit the source (fail2ban, WAF) and watch for a success after the burst.' },
    ja: { label: 'パスワード総当たり攻撃', remedy: '送信元を遮断またはレート制限し（fail2ban、WAF など）、攻撃後にログインが成功していないか確認してください。' },
  },
  cdn_cached: {
    en: { label: '401 served from a cache', remedy: 'Do not cache responses to requests with Authorization or Cookie; purge the cache.' },
    ja: { label: 'キャッシュから返された 401', remedy: 'Authorization や Cookie 付きリクエストへの応答をキャッシュしない設定にし、キャッシュを削除してください。' },
  },
  auth_challenge: {
    en: { label: 'Normal auth handshake (benign)', remedy: 'Nothing to do: the first 401 of a Basic/Digest/Negotiate/NTLM exchange, followed by success.' },
    ja: { label: '通常の認証ハンドシェイク（問題なし）', remedy: '対処不要です。Basic/Digest/Negotiate/NTLM の最初の 401 で、その後に成功しています。' },
  },
  unknown: {
    en: { label: 'No evidence in the logs', remedy: 'Log more: $request_id, $sent_http_www_authenticate, $upstream_status, and the app\'s auth error names.' },
    ja: { label: 'ログに手がかりなし', remedy: 'ログ項目を増やしてください: $request_id、$sent_http_www_authenticate、$upstream_status、アプリの認証エラー名。' },
  },
};

export function causeText(cause: string, lang: Lang): CauseText {
  return isCauseId(cause) ? TEXT[cause][lang] : { label: cause, remedy: '' };
}
