"""PHP: Symfony + LexikJWT behind a caching nginx edge; Laravel behind nginx with three php-fpm pools."""
from common import Scenario, at, sec, clf_time, iso_us, hexid, fake_jwt, jdump, background, UAS


def edge_symfony():
    fmt = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" '
           '"$http_authorization" $request_id $upstream_cache_status $upstream_addr $upstream_status $request_time')
    s = Scenario('edge-cache-symfony', """
Edge nginx with proxy_cache (logs the raw Authorization header, $request_id, $upstream_cache_status, $upstream_addr) in front of Apache + php-fpm running Symfony 7 with LexikJWTAuthenticationBundle; Monolog JSON with the exception in context and request id/ip/url in extra.
The /api/legacy vhost uses mod_proxy_fcgi without CGIPassAuth, so Authorization never reaches PHP (stripped); /api/catalog/featured 401s were cached for 5 minutes (HIT); Lexik messages for missing/expired/invalid/unverifiable tokens, json_login failures and a CORS preflight.
""", args=['--log-format', fmt, '--json-field', 'time=datetime', '--json-field', 'requestId=extra.request_id', '--json-field', 'ip=extra.ip',
           '--json-field', 'path=extra.url', '--json-field', 'method=extra.http_method', '--json-field', 'errorText=context.exception.message'])
    A, APP = 'edge.log', 'symfony.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng
    UP, LEG = '10.0.5.20:8080', '10.0.5.21:8080'

    def acc(t, ip, ua, method, path, status, size, truth=None, auth=None, cache='-', up=UP, rid=None, ref='-'):
        rid = rid or hexid(rng)
        us = status if up != '-' else '-'
        rt = round(rng.uniform(0.004, 0.12), 3) if up != '-' else 0.000
        a = auth or '-'
        s.add(A, t, f'{ip} - - [{clf_time(t)}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}" "{a}" {rid} {cache} {up} {us} {rt:.3f}', truth, status)
        return rid

    def mono(t, rid, ip, method, url, exc_class, exc_msg, previous=None, channel='security', message='Authenticator failed.'):
        exc = {'class': exc_class, 'message': exc_msg, 'code': 401 if 'Lexik' in exc_class else 0,
               'file': '/srv/app/vendor/lexik/jwt-authentication-bundle/Security/Authenticator/JWTAuthenticator.php:138' if 'Lexik' in exc_class
               else '/srv/app/vendor/symfony/security-http/Authenticator/JsonLoginAuthenticator.php:93'}
        if previous:
            exc['previous'] = previous
        d = {'message': message, 'context': {'exception': exc, 'authenticator': 'Lexik\\Bundle\\JWTAuthenticationBundle\\Security\\Authenticator\\JWTAuthenticator'
                                             if 'Lexik' in exc_class else 'Symfony\\Component\\Security\\Http\\Authenticator\\JsonLoginAuthenticator'},
             'level': 200, 'level_name': 'INFO', 'channel': channel, 'datetime': iso_us(t, '+00:00'),
             'extra': {'request_id': rid, 'url': url, 'ip': ip, 'http_method': method, 'server': 'api.shop-nord.example', 'referrer': None}}
        s.add(APP, t, jdump(d))

    LX = 'Lexik\\Bundle\\JWTAuthenticationBundle\\Exception\\'

    def lexik(t, ip, ua, method, path, truth, cls, msg, auth=True, up=UP, previous=None, ref='-', cache='-'):
        a = 'Bearer ' + fake_jwt(rng, sub=str(rng.randint(1000, 9999))) if auth else None
        rid = acc(t, ip, ua, method, path, 401, 53, truth, auth=a, up=up, ref=ref, cache=cache)
        mono(t + s.jitter(), rid, ip, method, path.split('?')[0], LX + cls, msg, previous)

    routes = [('GET', lambda r: f'/api/products/{r.randint(100, 900)}', 2311, 6), ('GET', '/api/products?category=outdoor&page=1', 14022, 4),
              ('GET', '/api/cart', 611, 3), ('POST', '/api/cart/items', 644, 2), ('GET', '/build/app.3f9e1c.js', 301233, 3)]
    clients = [(f'198.51.100.{i}', ua) for i, ua in zip(range(190, 200), [UAS['chrome_win'], UAS['safari'], UAS['iphone'], UAS['android'], UAS['firefox'],
                                                                        'ShopNord/6.0 (iOS 17.3)', 'ShopNord/6.0 (Android 14)', UAS['edge'], UAS['chrome_mac'],
                                                                        UAS['chrome_win']])]

    def bg(t, ip, ua, m, p, st, sz):
        static = p.startswith('/build')
        cache = rng.choice(['HIT', 'HIT', 'MISS']) if static else '-'
        auth = None if static else 'Bearer ' + fake_jwt(rng, sub=str(rng.randint(1000, 9999)))
        acc(t, ip, ua, m, p, st, sz, auth=auth, cache=cache, up='-' if cache == 'HIT' else UP)
    background(s, bg, clients, at('10:00:00'), at('10:50:00'), 170, routes)

    # a) /api/legacy: the edge saw a Bearer token, PHP did not (mod_proxy_fcgi without CGIPassAuth)
    for hms, ip, ua, path in (('10:02:14', '203.0.113.180', 'ShopNord/6.0 (iOS 17.3)', '/api/legacy/orders'),
                              ('10:04:51', '203.0.113.181', UAS['chrome_win'], '/api/legacy/invoices?year=2025'),
                              ('10:07:30', '203.0.113.182', 'ShopNord/5.9 (Android 13)', '/api/legacy/orders')):
        lexik(at(hms, rng.randint(0, 999)), ip, ua, 'GET', path, 'auth_header_stripped', 'MissingTokenException', 'JWT Token not found', auth=True, up=LEG)
    # b) really no token
    lexik(at('10:09:05', 300), '198.51.100.240', 'curl/8.4.0', 'GET', '/api/orders', 'credentials_missing', 'MissingTokenException', 'JWT Token not found', auth=False)
    lexik(at('10:11:44', 802), '198.51.100.241', UAS['firefox'], 'GET', '/api/account', 'credentials_missing', 'MissingTokenException', 'JWT Token not found', auth=False)
    # c) expired; one client refreshes (gesdinet refresh bundle) and retries
    c, ua = '203.0.113.183', 'ShopNord/6.0 (Android 14)'
    t = at('10:13:20', 45)
    lexik(t, c, ua, 'GET', '/api/orders', 'token_expired', 'ExpiredTokenException', 'Expired JWT Token')
    acc(t + sec(0.3), c, ua, 'POST', '/api/token/refresh', 200, 902, auth=None)
    acc(t + sec(0.58), c, ua, 'GET', '/api/orders', 200, 4410, auth='Bearer ' + fake_jwt(rng))
    lexik(at('10:15:02', 610), '203.0.113.184', UAS['safari'], 'GET', '/api/account', 'token_expired', 'ExpiredTokenException', 'Expired JWT Token')
    # d) keys changed after a deploy / garbage token
    lexik(at('10:17:40', 155), '203.0.113.185', UAS['chrome_mac'], 'GET', '/api/orders', 'token_signature_invalid', 'InvalidTokenException', 'Invalid JWT Token',
          previous={'class': LX + 'JWTDecodeFailureException',
                    'message': 'Unable to verify the given JWT through the given configuration. If the "lexik_jwt_authentication.encoder" encryption options have been changed since your last authentication, please renew the token. If the problem persists, verify that the configured keys/passphrase are valid.',
                    'code': 0})
    lexik(at('10:19:22', 911), '203.0.113.186', 'python-requests/2.31.0', 'GET', '/api/orders', 'token_invalid', 'InvalidTokenException', 'Invalid JWT Token',
          previous={'class': LX + 'JWTDecodeFailureException', 'message': 'Invalid JWT Token', 'code': 0})
    # e) json_login
    for hms, ip, ua in (('10:21:05', '203.0.113.187', UAS['iphone']), ('10:22:48', '203.0.113.188', UAS['chrome_win'])):
        t = at(hms, rng.randint(0, 999))
        rid = acc(t, ip, ua, 'POST', '/api/login_check', 401, 48, 'credentials_invalid')
        mono(t + s.jitter(), rid, ip, 'POST', '/api/login_check', 'Symfony\\Component\\Security\\Core\\Exception\\BadCredentialsException', 'Invalid credentials.')
    # f) a 401 for an expired token got cached for /api/catalog/featured (proxy_cache_valid any 5m, key without Authorization)
    c = '203.0.113.189'
    lexik(at('10:30:00', 412), c, 'ShopNord/5.8 (iOS 16.7)', 'GET', '/api/catalog/featured', 'token_expired', 'ExpiredTokenException', 'Expired JWT Token', cache='MISS')
    for o, ip, ua in ((6.1, '198.51.100.193', UAS['android']), (31.8, '198.51.100.195', 'ShopNord/6.0 (iOS 17.3)'), (77.2, '203.0.113.190', UAS['chrome_win']),
                      (140.5, '198.51.100.196', 'ShopNord/6.0 (Android 14)'), (201.9, '203.0.113.191', UAS['safari']), (266.0, '198.51.100.197', UAS['edge'])):
        acc(at('10:30:00', 412) + sec(o), ip, ua, 'GET', '/api/catalog/featured', 401, 53, 'cdn_cached', auth='Bearer ' + fake_jwt(rng), cache='HIT', up='-')
    acc(at('10:35:04', 9), '198.51.100.198', UAS['chrome_mac'], 'GET', '/api/catalog/featured', 200, 8120, auth='Bearer ' + fake_jwt(rng), cache='EXPIRED')
    # g) preflight from the new storefront
    lexik(at('10:38:17', 266), '203.0.113.192', UAS['chrome_win'], 'OPTIONS', '/api/cart/items', 'cors_preflight', 'MissingTokenException', 'JWT Token not found',
          auth=False, ref='https://www.shop-nord.example/')
    return s


def sticky():
    fmt = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" '
           '$request_id upstream=$upstream_addr us=$upstream_status rt=$request_time')
    s = Scenario('laravel-sticky-sessions', """
nginx round-robin over three php-fpm pools running a Laravel app whose SESSION_DRIVER is `file` (per node) — sessions created on one node are unknown to the others; Monolog JSON (`datetime`, context.ip/context.path, no request id) for session problems only.
Session lost on another upstream (no app line: Laravel does not report AuthenticationException), idle expiry and a missing session file, an outage of the Redis store that the /api routes keep their sessions in, and 401s with no evidence.
""", args=['--log-format', fmt, '--json-field', 'time=datetime', '--json-field', 'ip=context.ip', '--json-field', 'path=context.path'])
    A, APP = 'access.log', 'laravel.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng
    N = ['10.0.3.11:9000', '10.0.3.12:9000', '10.0.3.13:9000']

    def acc(t, ip, ua, method, path, status, size, truth=None, up=None, ref='-'):
        up = up or rng.choice(N)
        s.add(A, t, f'{ip} - - [{clf_time(t)}] "{method} {path} HTTP/2.0" {status} {size} "{ref}" "{ua}" {hexid(rng)} upstream={up} us={status} rt={rng.uniform(0.01, 0.3):.3f}',
              truth, status)

    def app(t, ip, path, level, message, **ctx):
        c = {'ip': ip, 'path': path}
        c.update(ctx)
        d = {'message': message, 'context': c, 'level': {'NOTICE': 250, 'ERROR': 400, 'WARNING': 300}[level], 'level_name': level,
             'channel': 'production', 'datetime': iso_us(t, '+00:00'), 'extra': {}}
        s.add(APP, t, jdump(d))

    routes = [('GET', '/', 18220, 4), ('GET', lambda r: f'/products/{r.randint(1, 300)}', 22110, 6), ('GET', '/css/app.css', 41022, 3), ('GET', '/js/app.js', 188301, 3)]
    clients = [(f'198.51.100.{i}', ua) for i, ua in zip(range(20, 28), [UAS['chrome_win'], UAS['firefox'], UAS['safari'], UAS['edge'], UAS['iphone'], UAS['android'],
                                                                      UAS['chrome_mac'], UAS['chrome_win']])]
    background(s, lambda t, ip, ua, m, p, st, sz: acc(t, ip, ua, m, p, st, sz), clients, at('10:00:00'), at('11:30:00'), 170, routes)

    # a) session created on one node, next request lands on another
    for hms, ip, ua, a, b, path in (('10:05:10', '203.0.113.200', UAS['chrome_win'], 0, 1, '/account/notifications'),
                                    ('10:12:42', '203.0.113.201', UAS['safari'], 2, 0, '/account/orders'),
                                    ('10:19:03', '203.0.113.202', UAS['firefox'], 1, 2, '/checkout/cart'),
                                    ('10:26:55', '203.0.113.203', UAS['iphone'], 0, 2, '/account')):
        t = at(hms, rng.randint(0, 999))
        acc(t, ip, ua, 'POST', '/login', 302, 0, up=N[a], ref='https://shop.example/login')
        acc(t + sec(0.4), ip, ua, 'GET', '/dashboard', 200, 15220, up=N[a])
        acc(t + sec(round(rng.uniform(3, 14), 3)), ip, ua, 'GET', path, 401, 31, 'session_not_sticky', up=N[b], ref='https://shop.example/dashboard')
    # b) idle expiry on the same node
    c, ua = '203.0.113.210', UAS['edge']
    acc(at('10:01:20', 5), c, ua, 'GET', '/account/orders', 200, 9120, up=N[0])
    t = at('11:02:41', 330)
    acc(t, c, ua, 'GET', '/account/orders', 401, 31, 'session_expired', up=N[0])
    app(t + s.jitter(), c, '/account/orders', 'NOTICE', 'Session expired', idle_seconds=3681, lifetime_seconds=3600)
    # c) session file removed by the garbage collector
    c, ua = '203.0.113.211', UAS['chrome_mac']
    acc(at('10:40:02', 700), c, ua, 'GET', '/account', 200, 7211, up=N[1])
    t = at('11:05:09', 85)
    acc(t, c, ua, 'GET', '/account', 401, 31, 'session_expired', up=N[1])
    app(t + s.jitter(), c, '/account', 'NOTICE', 'Session [oQ3xV0cF8yRb2nTq] not found in store, treating request as guest')
    # d) the Redis store that /api sessions live in goes down (shared, so the upstream change is harmless)
    for o, ip, ua, prev_up, up in ((0.8, '203.0.113.220', UAS['chrome_win'], 0, 0), (6.3, '203.0.113.221', UAS['android'], 1, 1), (12.9, '203.0.113.222', UAS['firefox'], 2, 0)):
        acc(at('11:10:00') + sec(o), ip, ua, 'GET', '/api/wishlist', 200, 2210, up=N[prev_up])
        t = at('11:12:30') + sec(o)
        acc(t, ip, ua, 'GET', '/api/wishlist', 401, 31, 'session_expired', up=N[up])
        app(t + s.jitter(), ip, '/api/wishlist', 'ERROR', 'Session store unavailable: Connection refused [tcp://redis-sessions:6379]', exception='Predis\\Connection\\ConnectionException')
    # e) nothing to go on
    acc(at('11:18:20', 602), '198.51.100.250', 'python-requests/2.31.0', 'GET', '/api/export/orders.csv', 401, 31, 'unknown')
    acc(at('11:22:47', 11), '66.249.66.12', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'GET', '/account/wishlist', 401, 31, 'unknown')
    return s
