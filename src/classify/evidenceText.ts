import type { Lang } from '../i18n/labels.js';

/**
 * The sentences logscan itself writes as evidence, in the report's language.
 * What comes from the logs (addresses, paths, user names, messages) goes in
 * as it is; only logscan's own words are translated.
 */
export interface EvidenceText {
  bruteForce(count: number, ip: string, seconds: number, userNames: number): string;
  spraying(clients: number, user: string, seconds: number): string;
  refreshed(path: string | undefined, seconds: number): string;
  handshake(status: number, path: string | undefined, seconds: string): string;
  notSticky(before: string, seconds: number, now: string): string;
  refused(scheme: string | undefined): string;
  stripped: string;
  /** Where a message came from: an input and line, with the request id when there is one. */
  withRequest(origin: string, requestId: string): string;
  /** The message is on the response's own line. */
  thisLine: string;
}

/** A text logscan writes in each language (built-in rules' evidence). */
export type Localized = Readonly<Record<Lang, string>>;

export const EVIDENCE_TEXT: Readonly<Record<Lang, EvidenceText>> = {
  en: {
    bruteForce: (count, ip, seconds, userNames) => `${count} failed requests from ${ip} within ${seconds}s${userNames > 1 ? ` across ${userNames} user names` : ''}`,
    spraying: (clients, user, seconds) => `${clients} clients failed for user "${user}" within ${seconds}s (password spraying)`,
    refreshed: (path, seconds) => `the client called ${path} ${seconds}s later, then carried on (token refresh)`,
    handshake: (status, path, seconds) => `same client got ${status} on ${path} ${seconds}s later (handshake)`,
    notSticky: (before, seconds, now) => `same client succeeded on upstream ${before} ${seconds}s earlier, now refused by ${now}`,
    refused: (scheme) => `credentials were sent and refused (WWW-Authenticate: ${scheme})`,
    stripped: 'the edge log shows an Authorization header, yet the upstream says none arrived',
    withRequest: (origin, id) => `${origin} (request ${id})`,
    thisLine: 'this line',
  },
  ja: {
    bruteForce: (count, ip, seconds, userNames) => `${ip} から ${seconds} 秒以内に ${count} 件の失敗${userNames > 1 ? `（ユーザー名 ${userNames} 種類）` : ''}`,
    spraying: (clients, user, seconds) => `ユーザー "${user}" について ${seconds} 秒以内に ${clients} クライアントが失敗（パスワードスプレー）`,
    refreshed: (path, seconds) => `同じクライアントが ${seconds} 秒後に ${path} を呼び、その後も続行（トークンの更新）`,
    handshake: (status, path, seconds) => `同じクライアントが ${seconds} 秒後に ${path} で ${status} を受信（ハンドシェイク）`,
    notSticky: (before, seconds, now) => `同じクライアントが ${seconds} 秒前にアップストリーム ${before} で成功し、今回は ${now} で拒否`,
    refused: (scheme) => `資格情報は送られたが拒否された（WWW-Authenticate: ${scheme}）`,
    stripped: 'エッジのログには Authorization ヘッダーがあるのに、アップストリームには届いていない',
    withRequest: (origin, id) => `${origin}（リクエスト ${id}）`,
    thisLine: 'この行',
  },
};
