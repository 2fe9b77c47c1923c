/**
 * Where JSON loggers put each fact, most common first. A path is tried as a
 * literal top-level key before it is walked as nested keys, because ECS and
 * OpenTelemetry write both `{"log.level": ...}` and `{"log": {"level": ...}}`.
 * Users add or override with --json-field NAME=dotted.path.
 */
export const JSON_FIELD_PATHS = {
  time: ['time', 'timestamp', '@timestamp', 'ts', 'date', 'datetime', 'time_iso8601', 'time_local', 'msec', 'EdgeStartTimestamp', 'Timestamp', 'eventTime', 'start_time'],
  level: ['level', 'log.level', 'severity', 'levelname', 'lvl', 'loglevel', 'severity_text', 'SeverityText'],
  message: ['msg', 'message', 'event', 'log.message', 'fields.message', '@m', 'MessageTemplate', '@mt'],
  requestId: [
    'reqId', 'req_id', 'requestId', 'request_id', 'req.id', 'request.id', 'http.request.id', 'trace_id', 'traceId',
    'trace.id', 'correlationId', 'correlation_id', 'x-request-id', 'x_request_id',
    'req.headers.x-request-id', 'request.headers.X-Request-Id', 'request.headers.x-request-id', 'RayID', 'unique_id',
    'span.request_id', 'fields.request_id', 'RequestId', 'TraceId', 'http.request_id',
  ],
  status: [
    'status', 'statusCode', 'status_code', 'res.statusCode', 'res.status', 'response.status', 'response.status_code',
    'http.response.status_code', 'status-code', 'EdgeResponseStatus', 'client_res.statusCode', 'http_status',
    'response_code', 'responseCode', 'properties.responseCode', // Envoy, Azure API Management
  ],
  method: ['method', 'req.method', 'request.method', 'http.request.method', 'http_method', 'request_method', 'ClientRequestMethod'],
  path: [
    'path', 'url', 'req.url', 'request.uri', 'request.url', 'url.path', 'url.original', 'uri', 'request_uri', 'http.url',
    'http.target', 'ClientRequestURI', 'req.path', 'route',
  ],
  ip: [
    'ip', 'remote_addr', 'remoteAddress', 'remote_ip', 'client_ip', 'clientIp', 'clientIP', 'req.remoteAddress', 'req.ip',
    'request.client_ip', 'request.remote_ip', 'client.ip', 'client.address', 'source.ip', 'remote-address', 'ClientIP', 'remoteAddr',
    'x_forwarded_for', 'downstream_remote_address', 'properties.clientIp', 'callerIpAddress',
  ],
  userAgent: [
    'userAgent', 'user_agent', 'http_user_agent', 'user-agent', 'req.headers.user-agent', 'request.headers.User-Agent',
    'request.headers.user-agent', 'user_agent.original', 'ClientRequestUserAgent', 'ua',
  ],
  user: [
    'user', 'username', 'userName', 'user_id', 'userId', 'remote_user', 'user.name', 'user.id', 'user.email', 'request.user_id',
    'email', 'login', 'params.user.email', 'params.user.login', 'params.username', 'params.email', 'fields.user',
  ],
  host: ['host', 'http_host', 'request.host', 'url.domain', 'ClientRequestHost', 'server_name', 'vhost'],
  referer: ['referer', 'referrer', 'http_referer', 'http.request.referrer', 'request.headers.Referer', 'ClientRequestReferer'],
  bytes: ['bytes', 'body_bytes_sent', 'bytes_sent', 'size', 'length', 'res.contentLength', 'http.response.body.bytes', 'EdgeResponseBytes'],
  requestTime: ['request_time', 'requestTime', 'duration_s'],
  upstreamStatus: ['upstream_status'],
  upstreamAddr: ['upstream_addr', 'upstream', 'backend'],
  cacheStatus: ['upstream_cache_status', 'cache_status', 'CacheCacheStatus', 'x_cache'],
  wwwAuthenticate: [
    'www_authenticate', 'sent_http_www_authenticate', 'resp_headers.Www-Authenticate', 'res.headers.www-authenticate',
    'response.headers.www-authenticate', 'http.response.headers.www-authenticate',
  ],
  authorization: [
    'http_authorization', 'authorization', 'headers.authorization', 'request_headers.authorization', 'request.headers.Authorization', 'req.headers.authorization', 'request.headers.authorization',
    'http.request.headers.authorization',
  ],
  /** Error details joined to the message: the classifier reads them. */
  errorText: [
    'err.name', 'err.message', 'err.code', 'err.type', 'error.name', 'error.message', 'error.type', 'error.code',
    'error', 'error_description', 'errorCode', 'reason', 'response', 'exception.message', 'exception.type',
    'detail', 'description', 'error.detail', 'error.reason', 'error_message', 'errorMessage', 'messages', 'errors',
    'exception', 'stack_trace', 'err.stack', 'error.stack_trace', 'event', 'outcome.reason', 'event.reason',
    'fields.reason', 'fields.error', 'Exception',
  ],
} as const;

export type JsonFieldName = keyof typeof JSON_FIELD_PATHS;
export const JSON_FIELD_NAMES = Object.keys(JSON_FIELD_PATHS) as JsonFieldName[];
