"""Keycloak 24 behind nginx (combined); events exported as JSON lines by an event-listener SPI."""
from common import Scenario, at, sec, clf_time, iso_ms, hexid, jdump, background, UAS


def keycloak():
    s = Scenario('keycloak-tokens', """
nginx `combined` in front of Keycloak (realm acme); Keycloak events written as JSON lines by an event-listener SPI (`@timestamp`, type, clientId, ipAddress, error, details) — no request id, no path: joined by client ip and time.
Direct-grant failures (invalid_user_credentials, user_not_found, user_temporarily_disabled), client authentication failures (invalid_client_credentials, client_not_found), userinfo with an inactive token + refresh, wrong issuer, a password spray on the token endpoint, and admin-API 401s with no event; 400s (user_disabled, invalid_redirect_uri) are background.
""", args=['--json-field', 'ip=ipAddress'])
    A, EV = 'access.log', 'keycloak-events.log'
    s.file(A, access=True)
    s.file(EV)
    rng = s.rng
    seq = [5000]

    def acc(t, ip, ua, method, path, status, size, truth=None, ref='-'):
        s.add(A, t, f'{ip} - - [{clf_time(t)}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}"', truth, status)

    def ev(t, typ, client, ip, error=None, user=None, level='WARN', **details):
        seq[0] += 1
        d = {'@timestamp': iso_ms(t), 'level': level, 'logger': 'org.keycloak.events.json', 'type': typ, 'realmId': 'acme', 'clientId': client,
             'userId': user, 'sessionId': None, 'ipAddress': ip}
        if error:
            d['error'] = error
        d['details'] = details
        s.add(EV, t, jdump(d))

    TOKEN = '/realms/acme/protocol/openid-connect/token'
    UINFO = '/realms/acme/protocol/openid-connect/userinfo'

    routes = [('GET', '/realms/acme/.well-known/openid-configuration', 6120, 4), ('GET', '/realms/acme/protocol/openid-connect/certs', 2811, 6),
              ('GET', lambda r: f'/realms/acme/protocol/openid-connect/auth?client_id=portal&response_type=code&scope=openid&state={hexid(r, 12)}', 4302, 3),
              ('POST', lambda r: f'/realms/acme/login-actions/authenticate?session_code={hexid(r, 20)}&execution=ab12&client_id=portal&tab_id=Q{r.randint(100, 999)}', 0, 2),
              ('GET', '/resources/x2n1c/login/keycloak.v2/css/styles.css', 11820, 3)]
    clients = [(f'198.51.100.{i}', ua) for i, ua in zip(range(150, 160), [UAS['chrome_win'], UAS['firefox'], UAS['safari'], UAS['edge'], UAS['chrome_mac'],
                                                                        'Java/17.0.10', 'Go-http-client/2.0', UAS['iphone'], UAS['android'], 'node-fetch/1.0'])]

    def bg(t, ip, ua, m, p, st, sz):
        if m == 'POST':
            st, sz = 302, 0
        acc(t, ip, ua, m, p, st, sz)
    background(s, bg, clients, at('09:00:00'), at('09:40:00'), 190, routes)
    # successful token calls from services
    for i in range(40):
        t = at('09:00:30') + sec(60 * i + rng.uniform(0, 5))
        acc(t, '10.30.1.21', 'Apache-HttpClient/4.5.14 (Java/17.0.10)', 'POST', TOKEN, 200, 1621)
        ev(t - sec(0.01), 'CLIENT_LOGIN', 'orders-svc', '10.30.1.21', level='INFO', grant_type='client_credentials', client_auth_method='client-secret')

    cli = 'billing-cli/2.3.0 (linux; go1.22.1)'
    # a) wrong password / unknown user with the password grant
    for hms, ip, user, err, uid in (('09:02:41', '203.0.113.110', 'mhoffmann', 'invalid_user_credentials', '6f3c1a7e-8d2b-4a51-9c0e-2b7d1f4e9a10'),
                                    ('09:04:19', '203.0.113.111', 'e.lindqvist', 'invalid_user_credentials', '1a2b3c4d-0000-4f00-8e00-aa11bb22cc33'),
                                    ('09:06:55', '203.0.113.112', 'jkowalsky', 'user_not_found', None)):
        t = at(hms, rng.randint(0, 999))
        acc(t, ip, cli, 'POST', TOKEN, 401, 81, 'credentials_invalid')
        ev(t + s.jitter(), 'LOGIN_ERROR', 'billing-cli', ip, err, uid, grant_type='password', auth_method='openid-connect', username=user)
    # b) service with a rotated client secret retries three times; an unknown client id
    for i in range(3):
        t = at('09:08:02', 400) + sec(30 * i + rng.uniform(0, 0.3))
        acc(t, '10.30.1.33', 'Apache-HttpClient/4.5.14 (Java/17.0.10)', 'POST', TOKEN, 401, 92, 'oauth_client_invalid')
        ev(t + s.jitter(), 'CLIENT_LOGIN_ERROR', 'reporting-svc', '10.30.1.33', 'invalid_client_credentials', grant_type='client_credentials', client_auth_method='client-secret')
    t = at('09:11:15', 803)
    acc(t, '10.30.2.5', 'python-requests/2.31.0', 'POST', TOKEN, 401, 92, 'oauth_client_invalid')
    ev(t + s.jitter(), 'CLIENT_LOGIN_ERROR', 'reportng-svc', '10.30.2.5', 'client_not_found', grant_type='client_credentials')
    # c) userinfo with an expired access token, then refresh and retry
    c, ua = '203.0.113.115', 'okhttp/4.12.0'
    t = at('09:13:30', 250)
    acc(t, c, ua, 'GET', UINFO, 401, 0, 'token_expired')
    ev(t + s.jitter(), 'USER_INFO_REQUEST_ERROR', 'mobile-app', c, 'invalid_token', auth_method='validate_access_token', reason='Token is not active')
    acc(t + sec(0.3), c, ua, 'POST', TOKEN, 200, 2411)
    ev(t + sec(0.29), 'REFRESH_TOKEN', 'mobile-app', c, None, '77aa1c20-3e9f-4b7d-9a0d-1c2e3f4a5b6c', level='INFO', grant_type='refresh_token')
    acc(t + sec(0.55), c, ua, 'GET', UINFO, 200, 312)
    # d) token from the staging realm
    t = at('09:15:48', 601)
    acc(t, '10.30.4.11', 'Go-http-client/1.1', 'GET', UINFO, 401, 0, 'token_claims_invalid')
    ev(t + s.jitter(), 'USER_INFO_REQUEST_ERROR', 'inventory-svc', '10.30.4.11', 'invalid_token', auth_method='validate_access_token',
       reason="Invalid token issuer. Expected 'https://sso.acme.example/realms/acme'")
    # e) password spray on the token endpoint: 16 user names in ~35 s
    names = ['admin', 'test', 'a.meier', 'support', 'jenkins', 'svc-backup', 'b.braun', 'c.schulz', 'monitoring', 'root', 'l.wagner', 'deploy',
             'helpdesk', 's.koch', 'ftpuser', 'k.richter']
    t0 = at('09:20:05', 0)
    for i, n in enumerate(names):
        t = t0 + sec(round(i * 2.2 + rng.uniform(0, 0.6), 3))
        acc(t, '45.95.147.18', 'python-requests/2.25.1', 'POST', TOKEN, 401, 81, 'brute_force')
        err = 'user_not_found' if i % 3 else 'invalid_user_credentials'
        ev(t + s.jitter(), 'LOGIN_ERROR', 'admin-cli', '45.95.147.18', err, None, grant_type='password', auth_method='openid-connect', username=n)
    # f) the spray locked a.meier (brute-force detection); the real user now fails twice
    for hms in ('09:24:10', '09:25:02'):
        t = at(hms, rng.randint(0, 999))
        acc(t, '203.0.113.120', cli, 'POST', TOKEN, 401, 81, 'account_locked')
        ev(t + s.jitter(), 'LOGIN_ERROR', 'billing-cli', '203.0.113.120', 'user_temporarily_disabled', '0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a',
           grant_type='password', auth_method='openid-connect', username='a.meier')
    # g) background 400s with events
    t = at('09:27:33', 120)
    acc(t, '203.0.113.121', cli, 'POST', TOKEN, 400, 84)
    ev(t + s.jitter(), 'LOGIN_ERROR', 'billing-cli', '203.0.113.121', 'user_disabled', 'aa00bb11-cc22-4d33-8e44-ff5566778899', grant_type='password', username='former.employee')
    t = at('09:29:02', 501)
    acc(t, '198.51.100.158', UAS['iphone'], 'GET', '/realms/acme/protocol/openid-connect/auth?client_id=portal&redirect_uri=https%3A%2F%2Fportal-old.acme.example%2Fcb&response_type=code', 400, 3811)
    ev(t + s.jitter(), 'LOGIN_ERROR', 'portal', '198.51.100.158', 'invalid_redirect_uri', redirect_uri='https://portal-old.acme.example/cb')
    # h) admin REST API 401s: nothing in the event log
    acc(at('09:31:40', 77), '10.30.2.8', 'Go-http-client/1.1', 'GET', '/admin/realms/acme/users?briefRepresentation=true&first=0&max=100', 401, 0, 'unknown')
    acc(at('09:35:12', 690), '10.30.2.8', 'Go-http-client/1.1', 'GET', '/admin/realms/acme/clients', 401, 0, 'unknown')
    return s
