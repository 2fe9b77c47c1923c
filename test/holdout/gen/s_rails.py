"""Rails 7 + Devise (+ devise-jwt for the mobile API) behind Apache 2.4; lograge JSON."""
from common import Scenario, at, sec, clf_time, apache_unique_id, jdump, background, UAS


def rails():
    fmt = '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %{UNIQUE_ID}e %D'
    s = Scenario('rails-devise-apache', """
Apache 2.4 (LogFormat with %{UNIQUE_ID}e, forwarded to Rails as X-Request-Id, and %D) in front of a Rails app using Devise (+ devise-jwt for the mobile API); lograge JSON with request_id, remote_ip, status and an `error` field; the session store is Redis.
Devise failure messages (invalid, last attempt, locked, timeout, unauthenticated), a Redis session-store outage, ruby-jwt messages, a credential-stuffing burst from one address and a distributed attempt on one account. lograge lines carry a status too; only the Apache lines are in truth.
""", args=['--log-format', fmt.replace('\\"', '"')])
    A, APP = 'access.log', 'production.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng

    def acc(t, ip, ua, method, path, status, size, truth=None, user='-', rid=None, ref='-', us=None):
        rid = rid or apache_unique_id(rng)
        us = us or rng.randint(3000, 90000)
        s.add(A, t, f'{ip} - {user} [{clf_time(t)}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}" {rid} {us}', truth, status)
        return rid

    def lograge(t, rid, ip, method, path, status, controller, action, fmt='json', **kw):
        d = {'method': method, 'path': path, 'format': fmt, 'controller': controller, 'action': action, 'status': status,
             'allocations': rng.randint(900, 40000), 'duration': round(rng.uniform(3, 140), 2), 'view': 0.0, 'db': round(rng.uniform(0.3, 12), 2),
             'request_id': rid, 'remote_ip': ip, 'time': t.strftime('%Y-%m-%dT%H:%M:%S.') + f'{t.microsecond // 1000:03d}+00:00'}
        d.update(kw)
        s.add(APP, t, jdump(d))

    def req(t, ip, ua, method, path, status, size, controller, action, truth=None, app_extra=None, ref='-', user='-'):
        """Apache logs at request start (%t); lograge logs at the end, a little later."""
        rid = acc(t, ip, ua, method, path, status, size, truth, ref=ref, user=user)
        lograge(t + sec(round(rng.uniform(0.02, 0.6), 3)), rid, ip, method, path.split('?')[0], status, controller, action, **(app_extra or {}))
        return rid

    def signin_fail(t, ip, ua, truth, error, email):
        req(t, ip, ua, 'POST', '/users/sign_in.json', 401, 44, 'Devise::SessionsController', 'create', truth,
            {'error': error, 'params': {'user': {'email': email}}}, ref='https://app.ledgerly.example/login')

    routes = [('GET', '/api/v1/projects', 7321, 5), ('GET', lambda r: f'/api/v1/projects/{r.randint(100, 400)}/entries?page=1', 15220, 6),
              ('POST', lambda r: f'/api/v1/projects/{r.randint(100, 400)}/entries', 402, 2), ('GET', '/assets/application-9f1c2e.css', 48211, 2)]
    clients = [(f'198.51.100.{i}', ua) for i, ua in zip(range(110, 120), [UAS['chrome_win'], UAS['chrome_mac'], UAS['safari'], UAS['firefox'], UAS['edge'],
                                                                        'Ledgerly/2.9.1 (Android 14; Pixel 8)', 'Ledgerly/2.9.1 (iOS 17.3.1)', UAS['chrome_win'],
                                                                        UAS['iphone'], UAS['android']])]

    def bg(t, ip, ua, m, p, st, sz):
        if p.startswith('/assets'):
            acc(t, ip, ua, m, p, st, sz)
        else:
            req(t, ip, ua, m, p, st, sz, 'Api::V1::ProjectsController' if 'entries' not in p else 'Api::V1::EntriesController',
                'index' if m == 'GET' else 'create')
    background(s, bg, clients, at('10:00:00'), at('10:50:00'), 170, routes)

    # a) wrong password, later success
    signin_fail(at('10:01:33', 218), '203.0.113.60', UAS['chrome_win'], 'credentials_invalid', 'Invalid Email or password.', 'lena.hartmann@example.org')
    req(at('10:01:51', 700), '203.0.113.60', UAS['chrome_win'], 'POST', '/users/sign_in.json', 201, 512, 'Devise::SessionsController', 'create')
    signin_fail(at('10:03:02', 904), '203.0.113.61', UAS['safari'], 'credentials_invalid', 'Invalid Email or password.', 'tom@bakery-schulz.example')
    # b) last attempt, then locked
    c = '203.0.113.62'
    signin_fail(at('10:05:10', 11), c, UAS['firefox'], 'credentials_invalid', 'You have one more attempt before your account is locked.', 'p.nowak@example.com')
    signin_fail(at('10:05:24', 602), c, UAS['firefox'], 'account_locked', 'Your account is locked.', 'p.nowak@example.com')
    signin_fail(at('10:06:02', 377), c, UAS['firefox'], 'account_locked', 'Your account is locked.', 'p.nowak@example.com')
    # c) timeoutable: idle sessions
    for c, ua, path, prev in (('203.0.113.63', UAS['chrome_mac'], '/api/v1/projects', '10:02:11'), ('203.0.113.64', UAS['edge'], '/api/v1/projects/211/entries', '10:04:40')):
        req(at(prev, 300), c, ua, 'GET', path, 200, 7321, 'Api::V1::ProjectsController', 'index')
        req(at(prev, 300) + sec(2460 + rng.uniform(0, 60)), c, ua, 'GET', path, 401, 72, 'Api::V1::ProjectsController', 'index', 'session_expired',
            {'error': 'Your session expired. Please sign in again to continue.'})
    # d) never signed in
    req(at('10:09:12', 520), '198.51.100.210', 'curl/8.4.0', 'GET', '/api/v1/projects', 401, 72, 'Api::V1::ProjectsController', 'index', 'credentials_missing',
        {'error': 'You need to sign in or sign up before continuing.'})
    req(at('10:12:48', 77), '198.51.100.211', UAS['firefox'], 'GET', '/api/v1/projects/301/entries?page=1', 401, 72, 'Api::V1::EntriesController', 'index',
        'credentials_missing', {'error': 'You need to sign in or sign up before continuing.'})
    # e) Redis session store outage at 10:41: signed-in users lose their session
    for c, ua, o in (('203.0.113.82', UAS['safari'], 2.2), ('203.0.113.83', UAS['firefox'], 7.9), ('203.0.113.87', UAS['chrome_win'], 15.4)):
        prev = at('10:40:20') + sec(o)
        req(prev, c, ua, 'GET', '/api/v1/projects', 200, 7321, 'Api::V1::ProjectsController', 'index')
        t = at('10:41:10') + sec(o)
        rid = req(t, c, ua, 'GET', '/api/v1/projects', 401, 72, 'Api::V1::ProjectsController', 'index', 'session_expired',
                  {'error': 'You need to sign in or sign up before continuing.'})
        s.add(APP, t + sec(0.01), jdump({'level': 'ERROR', 'request_id': rid, 'time': (t + sec(0.01)).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + '+00:00',
                                         'message': 'redis-session-store: Redis::CannotConnectError: Error connecting to Redis on sessions.redis.internal:6379 (Errno::ECONNREFUSED); continuing with an empty session'}))
    # f) mobile API with devise-jwt (ruby-jwt messages)
    mob = 'Ledgerly/2.9.1 (Android 14; Pixel 8)'
    c = '203.0.113.70'
    t = at('10:15:20', 301)
    req(t, c, mob, 'GET', '/api/v1/projects', 401, 38, 'Api::V1::ProjectsController', 'index', 'token_expired', {'error': 'Signature has expired'})
    req(t + sec(0.4), c, mob, 'POST', '/users/sign_in.json', 201, 512, 'Devise::SessionsController', 'create')
    req(t + sec(0.9), c, mob, 'GET', '/api/v1/projects', 200, 7321, 'Api::V1::ProjectsController', 'index')
    req(at('10:17:45', 640), '203.0.113.71', 'Ledgerly/2.8.0 (iOS 16.7)', 'GET', '/api/v1/projects', 401, 38, 'Api::V1::ProjectsController', 'index',
        'token_signature_invalid', {'error': 'Signature verification failed'})
    req(at('10:19:02', 128), '203.0.113.72', 'Ledgerly/2.9.1 (iOS 17.3.1)', 'GET', '/api/v1/projects', 401, 38, 'Api::V1::ProjectsController', 'index',
        'token_claims_invalid', {'error': 'Invalid audience. Expected ledgerly-api, received ledgerly-web'})
    req(at('10:20:30', 900), '203.0.113.73', 'okhttp/4.12.0', 'GET', '/api/v1/projects', 401, 38, 'Api::V1::ProjectsController', 'index',
        'token_invalid', {'error': 'Not enough or too many segments'})
    req(at('10:22:14', 45), '203.0.113.74', mob, 'GET', '/api/v1/projects', 401, 38, 'Api::V1::ProjectsController', 'index',
        'token_invalid', {'error': 'revoked token'})
    # g) credential stuffing from one address: 20 accounts in ~40 s
    emails = ['anna.k@example.com', 'info@mueller-bau.example', 'j.smith@example.net', 'office@kanzlei-roth.example', 'mark77@example.org',
              'buchhaltung@example.de', 'sara.l@example.com', 'admin@example.com', 'lukas.b@example.net', 'contact@studio-nord.example',
              'h.yilmaz@example.org', 'peter.w@example.com', 'finance@example.io', 'maria.g@example.es', 'dev@example.dev', 'k.ito@example.jp',
              'sales@example.co', 'r.dubois@example.fr', 'nina@example.at', 'ops@example.ch']
    t0 = at('10:25:30', 10)
    for i, e in enumerate(emails):
        t = t0 + sec(round(i * 1.9 + rng.uniform(0, 0.7), 3))
        msg = 'Your account is locked.' if e == 'admin@example.com' else 'Invalid Email or password.'
        signin_fail(t, '91.240.118.172', UAS['chrome_win'], 'brute_force', msg, e)
    # h) distributed guessing on one account: 8 addresses, one try each, 40 s
    t0 = at('10:31:00', 500)
    for i, ip in enumerate(['45.61.184.12', '103.152.220.7', '185.100.87.41', '5.188.62.140', '141.98.11.62', '194.26.29.113', '89.248.165.52', '176.111.174.80']):
        t = t0 + sec(round(i * 5.1 + rng.uniform(0, 1.5), 3))
        signin_fail(t, ip, rng.choice([UAS['chrome_win'], UAS['firefox'], UAS['edge']]), 'brute_force', 'Invalid Email or password.', 'ceo@ledgerly.example')
    return s
