/**
 * The one normalised record every parser fills. Access-log lines, JSON
 * application lines and error-log lines all become a LogRecord; `kind` says
 * which. Missing values are `undefined` (never the log's "-"), so later
 * stages never need to know how a format spells "no value".
 */
export type RecordKind = 'access' | 'app' | 'error';

export interface LogRecord {
  kind: RecordKind;
  /** Name of the input as the user gave it (path, or "-" for stdin). */
  input: string;
  /** 1-based physical line number in that input. */
  line: number;
  /** UTC epoch milliseconds; NaN when the line carries no usable time. */
  time: number;
  ip?: string;
  user?: string;
  method?: string;
  /** Path without its query string. */
  path?: string;
  /** Query string without "?"; kept for classification, never printed raw. */
  query?: string;
  protocol?: string;
  status?: number;
  bytes?: number;
  referer?: string;
  userAgent?: string;
  requestId?: string;
  /** Seconds, as nginx's $request_time (Apache %D is converted). */
  requestTime?: number;
  upstreamStatus?: string;
  upstreamAddr?: string;
  cacheStatus?: string;
  host?: string;
  /** The logged response WWW-Authenticate header. */
  wwwAuthenticate?: string;
  /** Whether the request carried an Authorization header; never its value. */
  authorizationPresent?: boolean;
  /** Log level of app and error lines, lower case (error, warn, info ...). */
  level?: string;
  /** Free text of app and error lines. */
  message?: string;
  /** Named fields the record has no slot for, by their format name. */
  extra?: Map<string, string>;
}

export function sourceOf(r: Pick<LogRecord, 'input' | 'line'>): string {
  return `${r.input}:${r.line}`;
}
