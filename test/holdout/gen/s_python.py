"""Python: Django REST Framework + simplejwt behind nginx 'main'; FastAPI + PyJWT behind Caddy."""
from common import Scenario, at, sec, clf_time, iso_us, epoch, jdump, background, UAS


def django():
    s = Scenario('django-drf-simplejwt', """
nginx `main` format (combined + X-Forwarded-For, no request id) in front of Django REST Framework with simplejwt; python-json-logger lines with `asctime` (comma millis, no zone) and client_ip/method/path, plus django.request "Unauthorized: /path" lines that carry no client.
DRF/simplejwt wordings (credentials not provided, Invalid username/password., bad basic/token headers, token_not_valid variants, inactive user, No active account), django-oauth-toolkit token errors and a password-guessing burst against /api/token/.
""", args=['--json-field', 'time=asctime', '--json-field', 'errorText=detail'])
    A, APP = 'access.log', 'django.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng

    def acc(t, ip, ua, method, path, status, size, truth=None, user='-', xff='-'):
        s.add(A, t, f'{ip} - {user} [{clf_time(t)}] "{method} {path} HTTP/1.1" {status} {size} "-" "{ua}" "{xff}"', truth, status)

    def asctime(t):
        return t.strftime('%Y-%m-%d %H:%M:%S,') + f'{t.microsecond // 1000:03d}'

    def app(t, ip, method, path, detail, code, **kw):
        d = {'asctime': asctime(t), 'levelname': 'WARNING', 'name': 'api.auth', 'message': 'authentication failed',
             'client_ip': ip, 'method': method, 'path': path, 'detail': detail, 'code': code}
        d.update(kw)
        s.add(APP, t, jdump(d))

    def django_request(t, path, method):
        s.add(APP, t, jdump({'asctime': asctime(t), 'levelname': 'WARNING', 'name': 'django.request',
                             'message': f'Unauthorized: {path}', 'status_code': 401, 'request': f"<WSGIRequest: {method} '{path}'>"}))

    def fail(t, ip, ua, method, path, truth, detail, code, user='-', req_line=True, **kw):
        acc(t, ip, ua, method, path, 401, 180, truth, user=user)
        qpath = path.split('?')[0]
        app(t + s.jitter(), ip, method, qpath, detail, code, **kw)
        if req_line:
            django_request(t + s.jitter(-0.3, 0.05), qpath, method)

    routes = [('GET', '/api/v1/invoices/', 8120, 5), ('GET', lambda r: f'/api/v1/invoices/{r.randint(3000, 3999)}/', 1720, 5),
              ('GET', '/api/v1/customers/?page=2', 6230, 2), ('POST', '/api/v1/invoices/', 1404, 1), ('GET', '/static/admin/css/base.css', 21031, 2)]
    clients = [(f'198.51.100.{i}', ua) for i, ua in zip(range(60, 70), [UAS['chrome_win'], UAS['firefox'], UAS['safari'], UAS['edge'], 'axios/1.6.7',
                                                                       UAS['chrome_mac'], 'python-requests/2.31.0', UAS['android'], UAS['iphone'], UAS['chrome_win']])]
    background(s, lambda t, ip, ua, m, p, st, sz: acc(t, ip, ua, m, p, st, sz), clients, at('09:00:00'), at('09:50:00'), 180, routes)

    tnv = 'Given token not valid for any token type'
    # a) simplejwt expired access tokens
    fail(at('09:02:14', 350), '203.0.113.20', 'Invoicely/4.1 (iPhone; iOS 17.2)', 'GET', '/api/v1/invoices/', 'token_expired', tnv, 'token_not_valid',
         messages=[{'token_class': 'AccessToken', 'token_type': 'access', 'message': 'Token is expired'}])
    fail(at('09:05:51', 20), '203.0.113.21', UAS['chrome_mac'], 'GET', '/api/v1/customers/', 'token_expired', tnv, 'token_not_valid',
         messages=[{'token_class': 'AccessToken', 'token_type': 'access', 'message': 'Token is expired'}])
    # b) older simplejwt wording, disambiguated by the refresh that follows
    c, ua = '203.0.113.22', 'axios/1.6.7'
    t = at('09:08:09', 610)
    fail(t, c, ua, 'GET', '/api/v1/invoices/3412/', 'token_expired', tnv, 'token_not_valid',
         messages=[{'token_class': 'AccessToken', 'token_type': 'access', 'message': 'Token is invalid or expired'}])
    acc(t + sec(0.21), c, ua, 'POST', '/api/token/refresh/', 200, 483)
    acc(t + sec(0.44), c, ua, 'GET', '/api/v1/invoices/3412/', 200, 1720)
    # c) rotated refresh token reused
    fail(at('09:11:30', 902), '203.0.113.23', 'Invoicely/4.1 (Android 14)', 'POST', '/api/token/refresh/', 'token_invalid', 'Token is blacklisted', 'token_not_valid')
    # d) refresh token sent as access token
    fail(at('09:12:44', 114), '203.0.113.24', 'python-requests/2.31.0', 'GET', '/api/v1/invoices/', 'token_invalid', tnv, 'token_not_valid',
         messages=[{'token_class': 'AccessToken', 'token_type': 'access', 'message': 'Token has wrong type'}])
    # e) no credentials
    fail(at('09:14:02', 507), '198.51.100.201', UAS['chrome_win'], 'GET', '/api/v1/customers/', 'credentials_missing', 'Authentication credentials were not provided.', 'not_authenticated')
    fail(at('09:16:40', 261), '10.12.0.31', 'curl/7.88.1', 'GET', '/api/v1/invoices/export/', 'credentials_missing', 'Authentication credentials were not provided.', 'not_authenticated', req_line=False)
    # f) Basic auth with a wrong password from a reporting script
    fail(at('09:18:15', 88), '10.12.0.44', 'python-requests/2.28.2', 'GET', '/api/v1/invoices/?status=overdue', 'credentials_invalid',
         'Invalid username/password.', 'authentication_failed', user='reporting-bot')
    # g) login form: wrong password twice, then success (human pace)
    c, ua = '203.0.113.30', UAS['firefox']
    t = at('09:20:03', 400)
    fail(t, c, ua, 'POST', '/api/token/', 'credentials_invalid', 'No active account found with the given credentials', 'no_active_account', username='m.keller')
    fail(t + sec(9.3), c, ua, 'POST', '/api/token/', 'credentials_invalid', 'No active account found with the given credentials', 'no_active_account', username='m.keller')
    acc(t + sec(21.7), c, ua, 'POST', '/api/token/', 200, 702)
    # h) malformed headers
    fail(at('09:23:31', 5), '10.12.0.52', 'Java-http-client/17.0.10', 'GET', '/api/v1/invoices/', 'auth_header_malformed',
         'Invalid basic header. Credentials not correctly base64 encoded.', 'authentication_failed')
    fail(at('09:24:47', 733), '198.51.100.202', 'PostmanRuntime/7.36.1', 'GET', '/api/v1/customers/', 'auth_header_malformed',
         'Invalid token header. Token string should not contain spaces.', 'authentication_failed')
    # i) deactivated user
    fail(at('09:26:10', 299), '203.0.113.41', 'Invoicely/4.0 (Android 13)', 'GET', '/api/v1/invoices/', 'account_locked', 'User inactive or deleted.', 'authentication_failed')
    # j) django-oauth-toolkit token endpoint
    t = at('09:28:55', 140)
    acc(t, '10.12.0.60', 'okhttp/4.12.0', 'POST', '/o/token/', 401, 27, 'oauth_client_invalid')
    s.add(APP, t + s.jitter(), jdump({'asctime': asctime(t + sec(-0.2)), 'levelname': 'WARNING', 'name': 'oauth2_provider', 'message': 'token request failed',
                                      'client_ip': '10.12.0.60', 'method': 'POST', 'path': '/o/token/', 'error': 'invalid_client', 'client_id': 'mobile-legacy'}))
    t = at('09:30:31', 811)
    acc(t, '10.12.0.61', 'Apache-HttpClient/4.5.14 (Java/17.0.10)', 'POST', '/o/token/', 401, 59, 'oauth_client_invalid')
    s.add(APP, t + s.jitter(), jdump({'asctime': asctime(t + sec(-0.1)), 'levelname': 'WARNING', 'name': 'oauth2_provider', 'message': 'token request failed',
                                      'client_id': 'erp-connector', 'client_ip': '10.12.0.61', 'method': 'POST', 'path': '/o/token/',
                                      'error': 'unauthorized_client', 'error_description': 'The client is not authorized to use the client_credentials grant'}))
    # k) password guessing from one address, many user names, 24 tries in ~50 s
    names = ['admin', 'administrator', 'root', 'test', 'info', 'support', 'billing', 'j.mueller', 'a.schmidt', 'office', 'sales', 'demo',
             'user', 'manager', 'accounting', 'hr', 'k.fischer', 'webmaster', 'guest', 'backup', 'finance', 'ceo', 'contact', 'service']
    t0 = at('09:35:12', 100)
    for i, n in enumerate(names):
        t = t0 + sec(round(i * 2.1 + rng.uniform(0, 0.8), 3))
        fail(t, '185.220.101.47', 'python-httpx/0.27.0', 'POST', '/api/token/', 'brute_force', 'No active account found with the given credentials',
             'no_active_account', req_line=(i % 3 == 0), username=n)
    return s


def fastapi_caddy():
    s = Scenario('fastapi-caddy-pyjwt', """
Caddy v2 JSON access log (request headers logged, Authorization shown as REDACTED) in front of a FastAPI service using PyJWT and HTTPBearer; structlog JSON (`event`, `client_addr`), no request id.
PyJWT exception messages, FastAPI "Not authenticated"/"Invalid authentication credentials", and Caddy basic_auth on /admin (handshake, typo, scraper with a wrong password).
""", args=['--json-field', 'message=event', '--json-field', 'ip=client_addr', '--json-field', 'errorText=detail'])
    A, APP = 'caddy-access.log', 'api.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng

    def acc(t, ip, ua, method, uri, status, size, truth=None, auth=False, www=None, user=''):
        dur = round(rng.uniform(0.0008, 0.04), 6)
        headers = {'User-Agent': [ua], 'Accept': ['application/json' if not uri.startswith('/admin') else 'text/html,application/xhtml+xml'],
                   'Accept-Encoding': ['gzip, deflate, br']}
        if auth:
            headers['Authorization'] = ['REDACTED']
        resp = {'Server': ['Caddy'], 'Content-Type': ['application/json'], 'Date': [t.strftime('%a, %d %b %Y %H:%M:%S GMT')]}
        if www:
            resp['Www-Authenticate'] = [www]
        port = str(rng.randint(30000, 64000))
        d = {'level': 'error' if status >= 400 else 'info', 'ts': round(epoch(t) + dur, 6), 'logger': 'http.log.access.log0', 'msg': 'handled request',
             'request': {'remote_ip': ip, 'remote_port': port, 'client_ip': ip, 'proto': 'HTTP/2.0', 'method': method, 'host': 'api.tidepool.example',
                         'uri': uri, 'headers': headers,
                         'tls': {'resumed': False, 'version': 772, 'cipher_suite': 4865, 'proto': 'h2', 'server_name': 'api.tidepool.example'}},
             'bytes_read': 0 if method == 'GET' else rng.randint(40, 600), 'user_id': user, 'duration': dur, 'size': size, 'status': status,
             'resp_headers': resp}
        s.add(A, t, jdump(d), truth, status)

    def app(t, ip, method, path, event, **kw):
        d = {'event': event, 'level': 'warning', 'logger': 'tidepool.auth', 'timestamp': iso_us(t), 'client_addr': ip, 'method': method, 'path': path}
        d.update(kw)
        s.add(APP, t, jdump(d))

    def jwt_fail(t, ip, ua, method, uri, truth, exc, msg):
        acc(t, ip, ua, method, uri, 401, 43, truth, auth=True, www='Bearer')
        app(t + s.jitter(), ip, method, uri.split('?')[0], 'jwt rejected', exc_type=exc, error=msg)

    routes = [('GET', lambda r: f'/v1/readings?station={r.randint(1, 80)}&from=2026-03-11', 22018, 6), ('GET', '/v1/stations', 9140, 3),
              ('GET', lambda r: f'/v1/stations/{r.randint(1, 80)}', 812, 3), ('POST', '/v1/readings', 98, 2), ('GET', '/openapi.json', 40211, 1)]
    clients = [(f'203.0.113.{i}', ua) for i, ua in zip(range(120, 129), ['tidepool-logger/2.0 (esp32)', 'tidepool-logger/2.0 (esp32)', UAS['chrome_win'],
                                                                       'python-httpx/0.27.0', UAS['firefox'], 'Tidepool/1.8 (iPhone; iOS 17.3.1)',
                                                                       UAS['safari'], 'R (4.3.2 x86_64-pc-linux-gnu x86_64 linux-gnu)', UAS['edge']])]
    background(s, lambda t, ip, ua, m, p, st, sz: acc(t, ip, ua, m, p, st, sz, auth=True), clients, at('13:00:00'), at('13:40:00'), 150, routes)

    # a) expired, once with refresh
    c, ua = '198.51.100.31', 'Tidepool/1.8 (iPhone; iOS 17.3.1)'
    t = at('13:02:19', 707)
    jwt_fail(t, c, ua, 'GET', '/v1/readings?station=12', 'token_expired', 'ExpiredSignatureError', 'Signature has expired')
    acc(t + sec(0.26), c, ua, 'POST', '/v1/auth/refresh', 200, 611, auth=True)
    acc(t + sec(0.49), c, ua, 'GET', '/v1/readings?station=12', 200, 22018, auth=True)
    jwt_fail(at('13:04:03', 155), '198.51.100.32', 'python-httpx/0.27.0', 'POST', '/v1/readings', 'token_expired', 'ExpiredSignatureError', 'Signature has expired')
    # b) signature family
    jwt_fail(at('13:06:40', 61), '198.51.100.33', 'tidepool-logger/2.0 (esp32)', 'POST', '/v1/readings', 'token_signature_invalid', 'InvalidSignatureError', 'Signature verification failed')
    jwt_fail(at('13:07:55', 480), '198.51.100.34', UAS['chrome_win'], 'GET', '/v1/stations', 'token_signature_invalid', 'PyJWKClientError',
             'Unable to find a signing key that matches: "2026-03-rot"')
    jwt_fail(at('13:09:12', 930), '198.51.100.35', 'curl/8.5.0', 'GET', '/v1/stations', 'token_signature_invalid', 'InvalidAlgorithmError', 'The specified alg value is not allowed')
    # c) claims
    jwt_fail(at('13:11:30', 222), '198.51.100.36', 'python-httpx/0.27.0', 'GET', '/v1/stations/4', 'token_claims_invalid', 'InvalidAudienceError', "Audience doesn't match")
    jwt_fail(at('13:12:08', 19), '198.51.100.36', 'python-httpx/0.27.0', 'GET', '/v1/stations/4', 'token_claims_invalid', 'InvalidIssuerError', 'Invalid issuer')
    # d) clock skew
    jwt_fail(at('13:14:45', 803), '198.51.100.37', 'tidepool-logger/1.9 (esp8266)', 'POST', '/v1/readings', 'token_not_yet_valid', 'ImmatureSignatureError', 'The token is not yet valid (nbf)')
    jwt_fail(at('13:16:02', 347), '198.51.100.38', 'tidepool-logger/1.9 (esp8266)', 'POST', '/v1/readings', 'token_not_yet_valid', 'ImmatureSignatureError', 'The token is not yet valid (iat)')
    # e) broken tokens
    jwt_fail(at('13:18:21', 540), '198.51.100.39', UAS['firefox'], 'GET', '/v1/stations', 'token_invalid', 'DecodeError', 'Not enough segments')
    jwt_fail(at('13:19:37', 96), '198.51.100.40', 'R (4.3.2 x86_64-pc-linux-gnu x86_64 linux-gnu)', 'GET', '/v1/readings?station=3', 'token_invalid', 'DecodeError', 'Invalid crypto padding')
    # f) uptime monitor without a token
    for i in range(3):
        t = at('13:21:00', 50) + sec(60 * i + rng.uniform(0, 0.4))
        acc(t, '10.0.40.5', 'Uptime-Kuma/1.23.11', 'GET', '/v1/status/deep', 401, 30, 'credentials_missing', www='Bearer')
        app(t + s.jitter(), '10.0.40.5', 'GET', '/v1/status/deep', 'bearer auth rejected', detail='Not authenticated')
    # g) Basic credentials sent to a Bearer API
    t = at('13:26:18', 268)
    acc(t, '198.51.100.41', 'Grafana/10.3.3', 'GET', '/v1/stations', 401, 50, 'auth_header_malformed', auth=True, www='Bearer')
    app(t + s.jitter(), '198.51.100.41', 'GET', '/v1/stations', 'bearer auth rejected', detail='Invalid authentication credentials', scheme='Basic')

    # h) Caddy basic_auth on /admin/
    www = 'Basic realm="restricted"'
    c, ua = '203.0.113.140', UAS['chrome_mac']
    t = at('13:30:02', 510)
    acc(t, c, ua, 'GET', '/admin/', 401, 0, 'auth_challenge', www=www)
    acc(t + sec(1.6), c, ua, 'GET', '/admin/', 200, 5012, auth=True, user='ops')
    c, ua = '203.0.113.141', UAS['firefox']
    t = at('13:32:40', 20)
    acc(t, c, ua, 'GET', '/admin/', 401, 0, 'auth_challenge', www=www)
    acc(t + sec(1.9), c, ua, 'GET', '/admin/', 401, 0, 'credentials_invalid', auth=True, www=www)
    acc(t + sec(4.4), c, ua, 'GET', '/admin/', 200, 5012, auth=True, user='ops')
    for i in range(4):
        t = at('13:35:07', 300) + sec(15 * i)
        acc(t, '10.0.40.9', 'Prometheus/2.51.0', 'GET', '/admin/metrics', 401, 0, 'credentials_invalid', auth=True, www=www)
    return s
