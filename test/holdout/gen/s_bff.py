"""A backend-for-frontend nginx: /cms proxied to a vendor CMS behind CloudFront, /api to Flask + flask-jwt-extended."""
from common import nginx_esc, Scenario, at, sec, clf_time, iso_us, hexid, jdump, background, UAS


def bff():
    fmt = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" '
           'rid=$request_id up=$upstream_addr us=$upstream_status xcache="$upstream_http_x_cache" wwwauth="$sent_http_www_authenticate" rt=$request_time')
    s = Scenario('bff-cloudfront-flask', """
nginx BFF logging `$upstream_http_x_cache` (CloudFront "Hit from cloudfront"/"Error from cloudfront") and `$sent_http_www_authenticate`; /cms goes to a vendor CMS behind CloudFront with a server-side token, /api to Flask + flask-jwt-extended (python-json-logger with request_id = X-Request-ID).
The CMS token was revoked and CloudFront kept serving the 401 to everybody; flask-jwt-extended messages (expired, missing header/cookie, bad header, revoked), CORS preflights and an unlogged legacy endpoint.
""", args=['--log-format', fmt])
    A, APP = 'access.log', 'flask.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng
    CMS, API, OLD = '13.224.87.112:443', '10.1.4.20:5000', '10.1.4.9:5000'

    def acc(t, ip, ua, method, path, status, size, truth=None, up=API, xcache='-', www='-', rid=None, ref='https://www.outdoorly.example/'):
        rid = rid or hexid(rng)
        s.add(A, t, f'{ip} - - [{clf_time(t)}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}" rid={rid} up={up} us={status} '
                    f'xcache="{xcache}" wwwauth="{nginx_esc(www)}" rt={rng.uniform(0.005, 0.2):.3f}', truth, status)
        return rid

    def app(t, rid, message, level='WARNING', **kw):
        d = {'timestamp': iso_us(t, '+00:00'), 'level': level, 'logger': 'bff.auth', 'message': message, 'request_id': rid}
        d.update(kw)
        s.add(APP, t, jdump(d))

    def jwt_fail(t, ip, ua, method, path, truth, msg, www='Bearer'):
        rid = acc(t, ip, ua, method, path, 401, 44, truth, www=www)
        app(t + s.jitter(), rid, f'jwt rejected: {msg}')

    routes = [('GET', lambda r: f'/cms/pages/{r.choice(["home", "about", "hiking", "camping", "sale"])}', 14022, 5), ('GET', '/api/products?page=1', 12011, 5),
              ('GET', lambda r: f'/api/products/{r.randint(1, 500)}', 2014, 5), ('GET', '/api/basket', 511, 3)]
    clients = [(f'198.51.100.{i}', ua) for i, ua in zip(range(70, 80), [UAS['chrome_win'], UAS['iphone'], UAS['android'], UAS['safari'], UAS['firefox'],
                                                                      UAS['edge'], UAS['chrome_mac'], UAS['iphone'], UAS['chrome_win'], UAS['android']])]

    def bg(t, ip, ua, m, p, st, sz):
        if p.startswith('/cms'):
            if t >= at('16:10:00') and t < at('16:15:00'):
                p = '/api/products?page=1'
            else:
                acc(t, ip, ua, m, p, st if st != 304 else 200, sz, up=CMS, xcache=rng.choice(['Hit from cloudfront'] * 4 + ['Miss from cloudfront']))
                return
        acc(t, ip, ua, m, p, st, sz)
    background(s, bg, clients, at('16:00:00'), at('16:40:00'), 170, routes)

    # a) the CMS token is revoked at 16:10; CloudFront caches the 401 and serves it until ops rotate the token
    revoked = 'Bearer error="invalid_token", error_description="The access token has been revoked"'
    acc(at('16:10:02', 118), '203.0.113.230', UAS['chrome_win'], 'GET', '/cms/pages/home', 401, 112, 'token_invalid', up=CMS, xcache='Error from cloudfront', www=revoked)
    for o, ip, ua in ((4.6, '203.0.113.231', UAS['iphone']), (38.2, '203.0.113.232', UAS['android']), (71.9, '203.0.113.233', UAS['safari']),
                      (130.4, '203.0.113.234', UAS['chrome_mac']), (188.0, '203.0.113.235', UAS['edge'])):
        acc(at('16:10:02', 118) + sec(o), ip, ua, 'GET', '/cms/pages/home', 401, 112, 'cdn_cached', up=CMS, xcache='Hit from cloudfront', www=revoked)
    acc(at('16:15:10', 40), '203.0.113.236', UAS['firefox'], 'GET', '/cms/pages/home', 200, 14022, up=CMS, xcache='Miss from cloudfront')
    # b) expired tokens; one refreshes and retries
    c, ua = '203.0.113.240', UAS['iphone']
    t = at('16:02:31', 512)
    jwt_fail(t, c, ua, 'GET', '/api/basket', 'token_expired', 'Token has expired', www='Bearer error="invalid_token"')
    acc(t + sec(0.22), c, ua, 'POST', '/api/auth/refresh', 200, 402)
    acc(t + sec(0.47), c, ua, 'GET', '/api/basket', 200, 511)
    jwt_fail(at('16:05:12', 90), '203.0.113.241', UAS['android'], 'GET', '/api/orders', 'token_expired', 'Token has expired', www='Bearer error="invalid_token"')
    # c) missing credentials (header API and cookie API)
    jwt_fail(at('16:18:44', 303), '203.0.113.242', 'curl/8.5.0', 'GET', '/api/orders', 'credentials_missing', 'Missing Authorization Header')
    jwt_fail(at('16:20:15', 871), '203.0.113.243', UAS['safari'], 'GET', '/api/account', 'credentials_missing', 'Missing cookie "access_token_cookie"')
    # d) wrong header shape, revoked token
    jwt_fail(at('16:22:40', 17), '203.0.113.244', 'PostmanRuntime/7.36.1', 'GET', '/api/orders', 'auth_header_malformed',
             "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'")
    jwt_fail(at('16:24:03', 640), '203.0.113.245', UAS['chrome_win'], 'GET', '/api/account', 'token_invalid', 'Token has been revoked',
             www='Bearer error="invalid_token"')
    # e) the new checkout widget on another origin: preflights
    for hms, ip in (('16:27:30', '203.0.113.246'), ('16:29:12', '203.0.113.247')):
        t = at(hms, rng.randint(0, 999))
        rid = acc(t, ip, UAS['chrome_win'], 'OPTIONS', '/api/basket/items', 401, 44, 'cors_preflight', www='Bearer', ref='https://checkout.outdoorly.example/')
        app(t + s.jitter(), rid, 'jwt rejected: Missing Authorization Header')
    # f) the legacy stock service answers 401 and logs nothing
    acc(at('16:33:50', 402), '198.51.100.88', 'StockSync/0.7', 'GET', '/api/v0/stock?sku=TR-2201', 401, 0, 'unknown', up=OLD)
    acc(at('16:37:21', 95), '198.51.100.89', 'StockSync/0.7', 'GET', '/api/v0/stock?sku=TN-0410', 401, 0, 'unknown', up=OLD)
    return s
