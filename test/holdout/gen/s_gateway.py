"""Kong 3.6 gateway: access log with kong_request_id, error log with an auth-audit plugin, and a Rust (axum + tracing) upstream."""
from common import Scenario, at, sec, clf_time, nginx_err_time, iso_us, hexid, jdump, background, UAS


def kong():
    fmt = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" '
           'kong_request_id: "$kong_request_id"')
    s = Scenario('kong-keys', """
Kong 3.6 proxy access log (default format with `kong_request_id: "..."`), Kong error log (nginx error format) with a small auth-audit plugin that logs the key-auth/jwt/basic-auth rejection message, and a Rust quotes API (tracing JSON: fields.message, span.request_id) that enforces key scopes, IP allow-lists and quotas.
key-auth "No API key found in request"/"Invalid authentication credentials", jwt plugin messages, basic-auth with a remote user, app-side revoked/disabled keys and restricted keys; 403/429 from ACL and rate limiting are background.
""", args=['--log-format', fmt, '--json-field', 'message=fields.message', '--json-field', 'requestId=span.request_id',
           '--json-field', 'errorText=fields.reason'])
    A, ERR, APP = 'kong-access.log', 'kong-error.log', 'quotes-api.log'
    s.file(A, access=True)
    s.file(ERR)
    s.file(APP)
    rng = s.rng
    pid = [1291]
    conn = [88100]

    def acc(t, ip, ua, method, path, status, size, truth=None, user='-', rid=None):
        rid = rid or hexid(rng)
        s.add(A, t, f'{ip} - {user} [{clf_time(t)}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" kong_request_id: "{rid}"', truth, status)
        return rid

    def err(t, ip, method, path, plugin, msg, rid, level='warn', line=48):
        conn[0] += rng.randint(1, 40)
        s.add(ERR, t, f'{nginx_err_time(t)} [{level}] {pid[0] + rng.randint(0, 3)}#0: *{conn[0]} [kong] handler.lua:{line} [auth-audit] '
                      f'{plugin} rejected request: {msg}, client: {ip}, server: kong, request: "{method} {path} HTTP/1.1", host: "api.quotes.example", '
                      f'request_id: "{rid}"')

    def app(t, rid, method, path, message, level='WARN', **fields):
        f = {'message': message}
        f.update(fields)
        d = {'timestamp': iso_us(t), 'level': level, 'fields': f, 'target': 'quotes_api::auth',
             'span': {'request_id': rid, 'method': method, 'uri': path, 'name': 'request'},
             'spans': [{'request_id': rid, 'method': method, 'uri': path, 'name': 'request'}]}
        s.add(APP, t, jdump(d))

    def plugin_fail(t, ip, ua, method, path, truth, plugin, msg, user='-'):
        rid = acc(t, ip, ua, method, path, 401, 52, truth, user=user)
        err(t + s.jitter(-0.05, 0.0), ip, method, path, plugin, msg, rid)

    def app_fail(t, ip, ua, method, path, truth, message, **fields):
        rid = acc(t, ip, ua, method, path, 401, 96, truth)
        app(t + s.jitter(-0.4, 0.1), rid, method, path.split('?')[0], message, **fields)

    routes = [('GET', lambda r: f'/v1/quotes/{r.choice(["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "BTCUSD"])}', 412, 8),
              ('GET', '/v1/quotes?symbols=EURUSD,USDCHF', 911, 3), ('GET', '/v1/portfolio/positions', 2214, 2), ('GET', '/v1/status', 88, 1)]
    clients = [(f'198.51.100.{i}', ua) for i, ua in zip(range(170, 180), ['TradeBot/3.1 (+https://tradebot.example)', 'python-requests/2.31.0', 'quotes-sdk-js/2.4.0',
                                                                        'okhttp/4.12.0', 'quotes-sdk-go/1.9.2', 'Excel-QuotesAddin/1.3', UAS['chrome_win'],
                                                                        'python-requests/2.31.0', 'curl/8.5.0', 'quotes-sdk-js/2.4.1'])]

    def bg(t, ip, ua, m, p, st, sz):
        rid = acc(t, ip, ua, m, p, st, sz)
        if st == 200 and rng.random() < 0.2:
            app(t - sec(0.004), rid, m, p.split('?')[0], 'served quote', level='INFO', cache='hit')
    background(s, bg, clients, at('11:00:00'), at('11:45:00'), 200, routes, statuses=[200] * 14 + [404, 304])
    # 403 and 429 noise
    for i in range(4):
        t = at('11:05:00') + sec(400 * i + rng.uniform(0, 30))
        rid = acc(t, '198.51.100.181', 'quotes-sdk-go/1.9.2', 'GET', '/v1/admin/symbols', 403, 47)
        err(t, '198.51.100.181', 'GET', '/v1/admin/symbols', 'acl', 'You cannot consume this service', rid, level='notice')
    for i in range(6):
        acc(at('11:12:00') + sec(0.4 * i), '198.51.100.182', 'TradeBot/3.0', 'GET', '/v1/quotes/EURUSD', 429, 41)

    # a) key-auth: no key
    plugin_fail(at('11:02:10', 331), '203.0.113.130', 'curl/8.5.0', 'GET', '/v1/quotes/EURUSD', 'credentials_missing', 'key-auth', 'No API key found in request')
    plugin_fail(at('11:04:47', 902), '203.0.113.131', 'QuotesWidget/1.0 (Android 14)', 'GET', '/v1/quotes?symbols=EURUSD,USDCHF', 'credentials_missing', 'key-auth',
                'No API key found in request')
    # b) key-auth: unknown keys
    plugin_fail(at('11:07:22', 48), '203.0.113.132', 'python-requests/2.31.0', 'GET', '/v1/quotes/GBPUSD', 'api_key_invalid', 'key-auth', 'Invalid authentication credentials')
    plugin_fail(at('11:09:03', 777), '203.0.113.133', 'quotes-sdk-js/2.3.0', 'GET', '/v1/quotes/USDJPY', 'api_key_invalid', 'key-auth', 'Invalid authentication credentials')
    # c) jwt plugin on /v1/portfolio
    plugin_fail(at('11:11:40', 120), '203.0.113.134', 'PortfolioApp/4.2 (iOS 17.3)', 'GET', '/v1/portfolio/positions', 'token_expired', 'jwt', '{"exp":"token expired"}')
    plugin_fail(at('11:13:15', 560), '203.0.113.135', 'PortfolioApp/4.2 (Android 14)', 'GET', '/v1/portfolio/positions', 'token_signature_invalid', 'jwt', 'Invalid signature')
    plugin_fail(at('11:14:52', 8), '203.0.113.136', 'node-fetch/1.0', 'GET', '/v1/portfolio/positions', 'token_signature_invalid', 'jwt', 'Invalid algorithm')
    plugin_fail(at('11:16:30', 431), '203.0.113.137', 'PostmanRuntime/7.36.1', 'GET', '/v1/portfolio/positions', 'auth_header_malformed', 'jwt', 'Multiple tokens provided')
    plugin_fail(at('11:18:09', 950), '203.0.113.138', 'PortfolioApp/4.1 (Android 13)', 'GET', '/v1/portfolio/positions', 'token_invalid', 'jwt', 'Bad token; invalid JSON')
    # d) basic-auth on /internal
    plugin_fail(at('11:20:44', 612), '10.50.3.9', 'Go-http-client/1.1', 'GET', '/internal/reports/daily', 'credentials_invalid', 'basic-auth',
                'Invalid authentication credentials', user='svc-reporting')
    # e) the upstream's own key checks
    app_fail(at('11:23:05', 215), '198.51.100.19', 'python-requests/2.31.0', 'GET', '/v1/quotes/XAUUSD', 'api_key_restricted', 'api key rejected',
             key_id='ak_2VnLq8', reason='client ip 198.51.100.19 is not in the allow-list of this key (10.20.0.0/16)')
    app_fail(at('11:25:41', 700), '203.0.113.139', 'quotes-sdk-go/1.9.2', 'POST', '/v1/alerts', 'api_key_restricted', 'api key rejected',
             key_id='ak_7TmPz1', reason='key lacks scope alerts:write (has quotes:read)')
    app_fail(at('11:28:12', 34), '203.0.113.140', 'TradeBot/3.1 (+https://tradebot.example)', 'GET', '/v1/quotes/BTCUSD', 'api_key_restricted', 'api key rejected',
             key_id='ak_9QxWe4', reason='monthly request quota exhausted for this key (100000/100000)')
    app_fail(at('11:31:50', 481), '203.0.113.141', 'Excel-QuotesAddin/1.2', 'GET', '/v1/quotes/EURUSD', 'api_key_invalid', 'api key rejected',
             key_id='ak_3HbKs0', reason='key revoked by owner at 2026-03-01T08:00:00Z')
    app_fail(at('11:34:27', 90), '203.0.113.142', 'quotes-sdk-js/2.4.0', 'GET', '/v1/quotes/GBPUSD', 'api_key_invalid', 'api key rejected',
             key_id='ak_5JcLt2', reason='key is disabled')
    s.add(ERR, at('11:00:01', 2), f'{nginx_err_time(at("11:00:01"))} [notice] 1290#0: signal process started')
    return s
