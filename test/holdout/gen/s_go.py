"""Go services: Traefik JSON access log + golang-jwt v5 (zap), and nginx + go-jwt-middleware/go-jose (logrus)."""
from common import nginx_esc, Scenario, at, sec, iso_ns, epoch, clf_time, iso_off, hexid, jdump, background, UAS


def go_traefik():
    s = Scenario('go-traefik-golangjwt', """
Traefik v3 JSON access log in front of a Go orders API that validates JWTs with golang-jwt v5 and logs with zap (epoch `ts`, no request id: joined by client ip + path).
Covers expiry (message and refresh sequence), nbf/iat, audience, malformed token and header, missing token, a JWKS key rotation onset and 401s from a service without logs.
""", args=['--json-field', 'time=StartUTC', '--json-field', 'status=DownstreamStatus', '--json-field', 'method=RequestMethod',
           '--json-field', 'path=RequestPath', '--json-field', 'ip=ClientHost', '--json-field', 'userAgent=request_User-Agent',
           '--json-field', 'host=RequestHost'])
    A, APP = 'traefik-access.log', 'orders-api.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng
    count = [40211]

    def acc(t, ip, ua, method, path, status, size, truth=None, svc='orders', dur_ms=None):
        dur_ms = dur_ms or round(rng.uniform(1.2, 24.0), 3)
        port = rng.randint(30000, 64000)
        count[0] += 1
        svc_addr = {'orders': '172.18.0.7:8080', 'wishlist': '172.18.0.11:8080', 'auth': '172.18.0.5:8080'}[svc]
        end = t + sec(dur_ms / 1000)
        d = {
            'ClientAddr': f'{ip}:{port}', 'ClientHost': ip, 'ClientPort': str(port), 'ClientUsername': '-',
            'DownstreamContentSize': size, 'DownstreamStatus': status, 'Duration': int(dur_ms * 1e6),
            'OriginContentSize': size, 'OriginDuration': int(dur_ms * 0.93e6), 'OriginStatus': status,
            'Overhead': int(dur_ms * 0.07e6), 'RequestAddr': 'api.shopfront.example', 'RequestContentSize': 0 if method == 'GET' else rng.randint(60, 900),
            'RequestCount': count[0], 'RequestHost': 'api.shopfront.example', 'RequestMethod': method, 'RequestPath': path,
            'RequestPort': '-', 'RequestProtocol': 'HTTP/2.0', 'RequestScheme': 'https', 'RetryAttempts': 0,
            'RouterName': f'{svc}@docker', 'ServiceAddr': svc_addr, 'ServiceName': f'{svc}@docker', 'ServiceURL': f'http://{svc_addr}',
            'StartLocal': iso_ns(rng, t), 'StartUTC': iso_ns(rng, t), 'entryPointName': 'websecure', 'level': 'info', 'msg': '',
            'request_User-Agent': ua, 'time': end.strftime('%Y-%m-%dT%H:%M:%SZ'),
        }
        s.add(A, t, jdump(d), truth, status)

    def app(t, level, msg, ip, method, path, err=None, caller='authn/middleware.go:71', **kw):
        d = {'level': level, 'ts': round(epoch(t), 4), 'caller': caller, 'msg': msg, 'remote_ip': ip, 'method': method, 'path': path}
        if err:
            d['error'] = err
        d.update(kw)
        s.add(APP, t, jdump(d))

    routes = [('GET', lambda r: f'/v1/products?page={r.randint(1, 9)}', 18422, 6), ('GET', lambda r: f'/v1/products/{r.randint(1000, 9999)}', 2211, 6),
              ('GET', '/v1/orders', 5320, 3), ('GET', '/v1/cart', 812, 3), ('POST', '/v1/cart/items', 240, 2), ('GET', '/v1/categories', 3310, 2)]
    clients = [('198.51.100.%d' % i, ua) for i, ua in zip(range(30, 42), [UAS['chrome_win'], UAS['iphone'], UAS['android'], UAS['safari'], UAS['firefox'],
                                                                         'ShopApp/5.2.1 (iOS 17.4; iPhone14,2)', 'ShopApp/5.2.0 (Android 14; SM-S918B)',
                                                                         UAS['edge'], UAS['chrome_mac'], 'ShopApp/5.2.1 (iOS 17.3.1; iPhone15,3)',
                                                                         UAS['android'], UAS['chrome_win']])]
    background(s, lambda t, ip, ua, m, p, st, sz: acc(t, ip, ua, m, p, st, sz), clients, at('10:00:00'), at('10:40:00'), 170, routes)
    for i in range(80):  # kube health checks through traefik
        acc(at('10:00:05') + sec(30 * i), '10.42.0.1', 'kube-probe/1.29', 'GET', '/healthz', 200, 2)

    ios = 'ShopApp/5.2.1 (iOS 17.4; iPhone14,2)'
    # a) expired token, app says so, then refresh and retry
    c1 = '203.0.113.7'
    acc(at('10:01:40', 120), c1, ios, 'GET', '/v1/orders', 200, 5320)
    t = at('10:04:12', 180)
    acc(t, c1, ios, 'GET', '/v1/orders?status=open', 401, 58, 'token_expired')
    app(t + s.jitter(), 'warn', 'rejecting request', c1, 'GET', '/v1/orders', 'token has invalid claims: token is expired')
    acc(t + sec(0.24), c1, ios, 'POST', '/v1/auth/refresh', 200, 1311, svc='auth')
    acc(t + sec(0.47), c1, ios, 'GET', '/v1/orders?status=open', 200, 5320)

    # b) expired token seen only through the refresh sequence (sampled logs: no app line)
    c2, web = '198.51.100.23', UAS['chrome_win']
    acc(at('10:02:10', 520), c2, web, 'GET', '/v1/cart', 200, 812)
    t = at('10:06:30', 200)
    acc(t, c2, web, 'GET', '/v1/cart', 401, 58, 'token_expired')
    acc(t + sec(0.31), c2, web, 'POST', '/v1/auth/refresh', 200, 1308, svc='auth')
    acc(t + sec(0.52), c2, web, 'GET', '/v1/cart', 200, 812)

    # c) partner whose clock runs ahead: nbf twice
    c4, py = '203.0.113.88', 'python-requests/2.31.0'
    for hms in ('10:09:41', '10:10:12'):
        t = at(hms, rng.randint(0, 999))
        acc(t, c4, py, 'GET', '/v1/orders/export?since=2026-03-01', 401, 58, 'token_not_yet_valid')
        app(t + s.jitter(), 'warn', 'rejecting request', c4, 'GET', '/v1/orders/export', 'token has invalid claims: token is not valid yet')

    # d) iat in the future
    c5 = '192.0.2.44'
    t = at('10:12:05', 644)
    acc(t, c5, 'okhttp/4.12.0', 'POST', '/v1/checkout', 401, 58, 'token_not_yet_valid')
    app(t + s.jitter(), 'warn', 'rejecting request', c5, 'POST', '/v1/checkout', 'token has invalid claims: token used before issued')

    # e) audience mismatch from an internal service, twice
    c6 = '10.42.3.17'
    for hms in ('10:14:50', '10:15:20'):
        t = at(hms, rng.randint(0, 999))
        acc(t, c6, 'Go-http-client/2.0', 'GET', '/v1/orders/98231', 401, 58, 'token_claims_invalid')
        app(t + s.jitter(), 'warn', 'rejecting request', c6, 'GET', '/v1/orders/98231', 'token has invalid claims: token has invalid audience')

    # f) malformed token, then the same developer sends the wrong scheme
    c7 = '203.0.113.201'
    t = at('10:17:03', 90)
    acc(t, c7, 'curl/8.5.0', 'GET', '/v1/orders', 401, 58, 'token_invalid')
    app(t + s.jitter(), 'warn', 'rejecting request', c7, 'GET', '/v1/orders', 'token is malformed: token contains an invalid number of segments')
    t = at('10:18:22', 412)
    acc(t, c7, 'curl/8.5.0', 'GET', '/v1/orders', 401, 61, 'auth_header_malformed')
    app(t + s.jitter(), 'warn', 'rejecting request', c7, 'GET', '/v1/orders', 'malformed Authorization header: want "Bearer <token>", got scheme "Token"')

    # g) no token at all
    c8 = '198.51.100.77'
    t = at('10:19:05', 733)
    acc(t, c8, UAS['safari'], 'GET', '/v1/account', 401, 52, 'credentials_missing')
    app(t + s.jitter(), 'warn', 'rejecting request', c8, 'GET', '/v1/account', 'no bearer token in request')

    # h) issuer rotated its signing key at 10:22; our JWKS cache is stale until 10:23
    rot = [('203.0.113.7', ios, '/v1/orders', 'token signature is invalid: crypto/rsa: verification error'),
           ('198.51.100.23', web, '/v1/cart', 'token signature is invalid: crypto/rsa: verification error'),
           ('203.0.113.150', 'ShopApp/5.2.0 (Android 14; SM-S918B)', '/v1/orders', 'token is unverifiable: error while executing keyfunc: key with kid "9f2c61" not found in JWKS'),
           ('192.0.2.81', UAS['firefox'], '/v1/cart', 'token signature is invalid: crypto/rsa: verification error'),
           ('203.0.113.7', ios, '/v1/orders', 'token is unverifiable: error while executing keyfunc: key with kid "9f2c61" not found in JWKS'),
           ('203.0.113.19', UAS['iphone'], '/v1/account', 'token signature is invalid: crypto/rsa: verification error')]
    offs = [0.4, 3.9, 11.2, 18.6, 25.1, 37.8]
    for (ip, ua, path, err), o in zip(rot, offs):
        t = at('10:22:00') + sec(o)
        acc(t, ip, ua, 'GET', path, 401, 58, 'token_signature_invalid')
        app(t + s.jitter(), 'warn', 'rejecting request', ip, 'GET', path, err)
    app(at('10:23:01', 5), 'info', 'jwks refreshed', '-', '-', '-', caller='authn/jwks.go:112', keys=3)
    acc(at('10:23:09', 311), '203.0.113.7', ios, 'GET', '/v1/orders', 200, 5320)
    acc(at('10:23:14', 52), '198.51.100.23', web, 'GET', '/v1/cart', 200, 812)

    # i) 401s from the wishlist service, which has no logs here
    t = at('10:30:44', 501)
    acc(t, '100.64.12.9', 'ShopApp/5.1.0 (Android 14; Pixel 7)', 'GET', '/v1/wishlist', 401, 0, 'unknown', svc='wishlist')
    t = at('10:33:10', 902)
    acc(t, '198.51.100.160', UAS['chrome_mac'], 'GET', '/v1/wishlist/items', 401, 0, 'unknown', svc='wishlist')
    # unrelated app noise near a 401
    app(at('10:30:44', 320), 'info', 'db pool stats', '-', '-', '-', caller='store/pg.go:58', open=12, idle=9)
    return s


def go_nginx():
    fmt = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" '
           'rid=$request_id rt=$request_time up=$upstream_addr us=$upstream_status "$sent_http_www_authenticate"')
    s = Scenario('go-nginx-gojose', """
nginx (custom log_format with literal `rid=`/`up=` prefixes, local time +0100) in front of a Go fleet API using auth0/go-jwt-middleware v2 + go-jose; logrus JSON with request_id and second-precision +01:00 times.
go-jose claim errors (exp/nbf/iat/aud/iss), crypto and algorithm failures, jwt missing, bad header format, CORS preflights blocked by auth, a refresh sequence without app line, and a legacy upstream with no logs.
""", args=['--log-format', fmt])
    A, APP = 'access.log', 'fleet-api.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng
    OFF = 1

    def acc(t, ip, ua, method, path, status, size, truth=None, www='-', up='10.8.0.21:8080', rid=None, ref='-'):
        rid = rid or hexid(rng)
        rt = round(rng.uniform(0.002, 0.060), 3)
        us = status if up != '-' else '-'
        line = (f'{ip} - - [{clf_time(t, OFF)}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}" '
                f'rid={rid} rt={rt:.3f} up={up} us={us} "{nginx_esc(www)}"')
        s.add(A, t, line, truth, status)
        return rid

    def app(t, rid, msg, err, level='warning'):
        d = {'error': err, 'level': level, 'msg': msg, 'request_id': rid, 'time': iso_off(t, OFF, frac=False)}
        s.add(APP, t, jdump(d))

    def rejected(t, ip, ua, method, path, err, truth, www='Bearer realm="fleet", error="invalid_token"', ref='-', with_app=True):
        rid = hexid(rng)
        acc(t, ip, ua, method, path, 401, 0, truth, www=www, rid=rid, ref=ref)
        if with_app:
            app(t + s.jitter(-0.6, 0.0), rid, 'request rejected', err)

    routes = [('GET', '/v2/vehicles', 9211, 5), ('GET', lambda r: f'/v2/vehicles/{r.randint(100, 999)}/positions?limit=50', 14210, 6),
              ('GET', '/v2/drivers', 4420, 3), ('POST', '/v2/trips', 311, 2), ('GET', lambda r: f'/v2/trips/{r.randint(20000, 29999)}', 1820, 3)]
    clients = [(f'203.0.113.{i}', ua) for i, ua in zip(range(100, 110), ['Fleetly/3.4.0 (iPhone; iOS 17.3.1)', 'Fleetly/3.4.0 (Android 14)', UAS['chrome_win'],
                                                                       UAS['edge'], UAS['chrome_mac'], 'Fleetly/3.3.9 (Android 13)', UAS['firefox'],
                                                                       'Fleetly/3.4.0 (iPhone; iOS 17.4)', UAS['safari'], 'fleet-sync/1.8 (+cron)'])]
    background(s, lambda t, ip, ua, m, p, st, sz: acc(t, ip, ua, m, p, st, sz), clients, at('10:00:00'), at('10:45:00'), 160, routes)
    for i in range(45):
        acc(at('10:00:20') + sec(60 * i), '10.8.0.2', 'Prometheus/2.51.0', 'GET', '/metrics', 200, 10211, up='-')

    mob = 'Fleetly/3.4.0 (iPhone; iOS 17.3.1)'
    # a) expired (go-jose exp) then /oauth/token and retry
    c = '203.0.113.51'
    acc(at('10:01:12', 450), c, mob, 'GET', '/v2/vehicles', 200, 9211)
    t = at('10:03:27', 211)
    rejected(t, c, mob, 'GET', '/v2/vehicles', 'jwt invalid: expected claims not validated: go-jose/go-jose/jwt: validation failed, token is expired (exp)', 'token_expired')
    acc(t + sec(0.28), c, mob, 'POST', '/oauth/token', 200, 1544, up='10.8.0.30:8080')
    acc(t + sec(0.61), c, mob, 'GET', '/v2/vehicles', 200, 9211)

    # b) the same pattern from a pod whose logs were not shipped: only the generic challenge + refresh
    c = '203.0.113.52'
    ua = 'Fleetly/3.4.0 (Android 14)'
    acc(at('10:04:02', 14), c, ua, 'GET', '/v2/drivers', 200, 4420, up='10.8.0.22:8080')
    t = at('10:07:45', 930)
    rejected(t, c, ua, 'GET', '/v2/drivers', None, 'token_expired', with_app=False)
    acc(t + sec(0.35), c, ua, 'POST', '/oauth/token', 200, 1544, up='10.8.0.30:8080')
    acc(t + sec(0.66), c, ua, 'GET', '/v2/drivers', 200, 4420, up='10.8.0.22:8080')

    # c) nbf / iat in the future (tablet with a wrong clock)
    c, ua = '192.0.2.140', 'Fleetly/3.2.1 (Android 11; Lenovo TB-X606F)'
    rejected(at('10:09:10', 114), c, ua, 'GET', '/v2/trips/24411', 'jwt invalid: expected claims not validated: go-jose/go-jose/jwt: validation failed, token not valid yet (nbf)', 'token_not_yet_valid')
    rejected(at('10:11:48', 870), c, ua, 'POST', '/v2/trips', 'jwt invalid: expected claims not validated: go-jose/go-jose/jwt: validation failed, token issued in the future (iat)', 'token_not_yet_valid')

    # d) audience / issuer: a staging token used against production
    c, ua = '198.51.100.12', 'PostmanRuntime/7.36.1'
    rejected(at('10:13:02', 377), c, ua, 'GET', '/v2/vehicles', 'jwt invalid: expected claims not validated: go-jose/go-jose/jwt: validation failed, invalid audience claim (aud)', 'token_claims_invalid')
    rejected(at('10:13:40', 12), c, ua, 'GET', '/v2/vehicles', 'jwt invalid: expected claims not validated: go-jose/go-jose/jwt: validation failed, invalid issuer claim (iss)', 'token_claims_invalid')

    # e) signature problems: crypto failure, then an HS256 token
    rejected(at('10:15:55', 640), '198.51.100.13', 'fleet-importer/0.9.2', 'POST', '/v2/trips', 'jwt invalid: could not get token claims: go-jose/go-jose: error in cryptographic primitive', 'token_signature_invalid')
    rejected(at('10:16:31', 205), '198.51.100.13', 'fleet-importer/0.9.2', 'POST', '/v2/trips', 'jwt invalid: could not parse the token: go-jose/go-jose: unexpected signature algorithm "HS256"; expected ["RS256"]', 'token_signature_invalid')

    # f) cron job whose env var lost its token
    for hms in ('10:20:00', '10:25:00'):
        rejected(at(hms, rng.randint(5, 80)), '10.8.4.7', 'fleet-sync/1.8 (+cron)', 'GET', '/v2/drivers', 'jwt missing', 'credentials_missing', www='Bearer realm="fleet"')

    # g) wrong scheme
    rejected(at('10:27:14', 555), '198.51.100.12', 'PostmanRuntime/7.36.1', 'GET', '/v2/drivers', 'authorization header format must be Bearer {token}', 'auth_header_malformed',
             www='Bearer realm="fleet", error="invalid_request", error_description="authorization header format must be Bearer {token}"')
    rejected(at('10:28:02', 93), '203.0.113.77', 'python-httpx/0.27.0', 'GET', '/v2/vehicles', 'authorization header format must be Bearer {token}', 'auth_header_malformed',
             www='Bearer realm="fleet", error="invalid_request", error_description="authorization header format must be Bearer {token}"')

    # h) browsers on the dispatch console: preflight hits the auth middleware first
    ref = 'https://dispatch.fleetly.example/'
    rejected(at('10:31:20', 310), '203.0.113.160', UAS['chrome_mac'], 'OPTIONS', '/v2/vehicles/positions', 'jwt missing', 'cors_preflight', www='Bearer realm="fleet"', ref=ref)
    rejected(at('10:33:05', 704), '203.0.113.161', UAS['edge'], 'OPTIONS', '/v2/vehicles/positions', 'jwt missing', 'cors_preflight', www='Bearer realm="fleet"', ref=ref)
    rejected(at('10:34:47', 66), '203.0.113.162', UAS['firefox'], 'OPTIONS', '/v2/trips', None, 'cors_preflight', www='Bearer realm="fleet"', ref=ref, with_app=False)

    # i) revoked and truncated tokens
    rejected(at('10:36:12', 418), '203.0.113.105', 'Fleetly/3.3.9 (Android 13)', 'GET', '/v2/trips/20391', 'jwt invalid: token has been revoked (jti=7c1e55d0)', 'token_invalid')
    rejected(at('10:38:40', 870), '192.0.2.201', 'okhttp/4.12.0', 'GET', '/v2/vehicles', 'jwt invalid: could not parse the token: go-jose/go-jose: compact JWS format must have three parts', 'token_invalid')

    # j) legacy reports box (no WWW-Authenticate logged, no app logs)
    acc(at('10:41:03', 2), '198.51.100.90', UAS['chrome_win'], 'GET', '/legacy/reports/monthly', 401, 381, 'unknown', up='10.8.0.99:80')
    acc(at('10:43:29', 719), '198.51.100.91', UAS['firefox'], 'GET', '/legacy/reports/fuel', 401, 381, 'unknown', up='10.8.0.99:80')
    app(at('10:40:00'), '-', 'token cache stats', None, level='info')
    return s
