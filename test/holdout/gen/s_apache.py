"""Apache 2.4 intranet: Digest on /docs, LDAP Basic on /wiki, reverse proxy to SharePoint (NTLM/Negotiate) on /sp."""
from common import apache_esc, Scenario, at, sec, clf_time, apache_err_time, jdump, background, UAS


def intranet():
    fmt = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D "%{WWW-Authenticate}o"'
    s = Scenario('apache-intranet', """
Apache 2.4 intranet server (combined + %D + the WWW-Authenticate response header) with mod_auth_digest on /docs, mod_authnz_ldap Basic on /wiki and a reverse proxy to SharePoint (NTLM/Negotiate) on /sp; Apache 2.4 error log (with [client ip:port]).
Digest handshakes and a stale nonce (AH01778, remote user set on a benign 401), AH01790/AH01792/AH01781/AH01782, AH01695 LDAP failures with a space and a non-ASCII user name, AH01614, NTLM/Kerberos handshakes, CORS preflights and a password guessing burst from one workstation.
""", args=['--log-format', fmt])
    A, ERR = 'access.log', 'error.log'
    s.file(A, access=True)
    s.file(ERR)
    rng = s.rng

    def acc(t, ip, ua, method, path, status, size, truth=None, user='-', www='-', ref='-'):
        s.add(A, t, f'{ip} - {user} [{clf_time(t)}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}" {rng.randint(900, 60000)} "{apache_esc(www)}"', truth, status)

    def err(t, module, level, ip, msg, ref=None):
        port = rng.randint(49152, 65535)
        line = f'[{apache_err_time(t)}] [{module}:{level}] [pid {rng.choice([2231, 2232, 2240])}:tid {rng.choice([140229811345152, 140229802952448, 140229794559744])}] [client {ip}:{port}] {msg}'
        if ref:
            line += f', referer: {ref}'
        s.add(ERR, t, line)

    DIG = 'Digest realm="Intranet Docs", nonce="{}", algorithm=MD5, qop="auth"'
    BAS = 'Basic realm="Intranet Wiki"'

    def nonce():
        return ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') for _ in range(52)) + '=='

    routes = [('GET', '/', 4810, 3), ('GET', '/news/2026/03/', 12011, 3), ('GET', '/static/intranet.css', 33120, 4), ('GET', '/static/logo.svg', 8120, 3),
              ('GET', '/phonebook/?q=m', 5022, 2)]
    clients = [(f'10.20.{r}.{h}', ua) for (r, h), ua in zip([(3, 14), (3, 21), (4, 17), (4, 40), (5, 2), (5, 88), (6, 31), (7, 12)],
                                                           [UAS['edge'], UAS['chrome_win'], UAS['firefox'], UAS['edge'], UAS['chrome_win'], UAS['edge'],
                                                            UAS['chrome_mac'], UAS['firefox']])]
    background(s, lambda t, ip, ua, m, p, st, sz: acc(t, ip, ua, m, p, st, sz), clients, at('09:00:00'), at('09:50:00'), 160, routes)

    # a) Digest handshakes (challenge, then the authenticated retry)
    for hms, ip, ua, user, path in (('09:01:12', '10.20.3.31', 'python-requests/2.31.0', 'svc-docsync', '/docs/handbook.pdf'),
                                    ('09:03:40', '10.20.4.55', 'Microsoft-WebDAV-MiniRedir/10.0.19045', 'lbauer', '/docs/policies/'),
                                    ('09:06:05', '10.20.5.61', 'curl/7.81.0', 'mkovacs', '/docs/release-notes.html')):
        t = at(hms, rng.randint(0, 999))
        acc(t, ip, ua, 'GET', path, 401, 381, 'auth_challenge', www=DIG.format(nonce()))
        acc(t + sec(round(rng.uniform(0.02, 0.2), 3)), ip, ua, 'GET', path, 200, rng.randint(3000, 90000), user=user)
    # b) stale nonce: the 401 carries the user, the client retries at once
    t = at('09:08:30', 120)
    acc(t, '10.20.4.55', 'Microsoft-WebDAV-MiniRedir/10.0.19045', 'GET', '/docs/policies/travel.pdf', 401, 381, 'auth_challenge', user='lbauer',
        www=DIG.format(nonce()).replace('algorithm=MD5', 'stale=true, algorithm=MD5'))
    err(t, 'auth_digest', 'info', '10.20.4.55', 'AH01778: user lbauer: nonce expired (312.41 seconds old - max lifetime 300.00) - sending new nonce')
    acc(t + sec(0.04), '10.20.4.55', 'Microsoft-WebDAV-MiniRedir/10.0.19045', 'GET', '/docs/policies/travel.pdf', 200, 188211, user='lbauer')
    # c) digest failures
    t = at('09:11:02', 400)
    acc(t, '10.20.3.14', UAS['edge'], 'GET', '/docs/handbook.pdf', 401, 381, 'credentials_invalid', user='mkovacz', www=DIG.format(nonce()))
    err(t, 'auth_digest', 'error', '10.20.3.14', "AH01790: user `mkovacz' in realm `Intranet Docs' not found: /docs/handbook.pdf", ref='https://intranet.corp.example/')
    t = at('09:12:45', 80)
    acc(t, '10.20.6.31', UAS['chrome_mac'], 'GET', '/docs/', 401, 381, 'credentials_invalid', user='jdoe', www=DIG.format(nonce()))
    err(t, 'auth_digest', 'error', '10.20.6.31', 'AH01792: user jdoe: password mismatch: /docs/')
    t = at('09:14:20', 700)
    acc(t, '10.20.7.90', 'curl/7.68.0', 'GET', '/docs/api.html', 401, 381, 'auth_header_malformed', www=DIG.format(nonce()))
    err(t, 'auth_digest', 'error', '10.20.7.90', 'AH01782: missing user, realm, nonce, uri, digest, cnonce, or nonce_count in authorization header: /docs/api.html')
    t = at('09:15:58', 11)
    acc(t, '10.20.7.91', 'Wget/1.21.2', 'GET', '/docs/api.html', 401, 381, 'auth_header_malformed', www=DIG.format(nonce()))
    err(t, 'auth_digest', 'error', '10.20.7.91', "AH01781: client used wrong authentication scheme `Basic': /docs/api.html")
    # d) LDAP Basic on /wiki
    wiki = 'https://intranet.corp.example/wiki/'
    for hms, ip, user, msg in (('09:18:33', '10.20.3.21', 'bwagner', 'AH01695: auth_ldap authenticate: user bwagner authentication failed; URI /wiki/ [ldap_simple_bind() to check user credentials failed][Invalid credentials]'),
                               ('09:20:10', '10.20.4.17', 'anna schmidt', 'AH01695: auth_ldap authenticate: user anna schmidt authentication failed; URI /wiki/ [User not found][No such object]'),
                               ('09:21:47', '10.20.5.88', 'M\\xc3\\xbcller', 'AH01695: auth_ldap authenticate: user M\\xc3\\xbcller authentication failed; URI /wiki/ [User not found][No such object]')):
        t = at(hms, rng.randint(0, 999))
        acc(t, ip, UAS['edge'], 'GET', '/wiki/', 401, 459, 'credentials_invalid', user=user, www=BAS, ref=wiki)
        err(t, 'authnz_ldap', 'info', ip, msg, ref=wiki)
    t = at('09:23:02', 640)
    acc(t, '10.20.7.95', 'python-requests/2.31.0', 'GET', '/wiki/rest/api/space', 401, 459, 'auth_header_malformed', www=BAS)
    err(t, 'auth_basic', 'error', '10.20.7.95', 'AH01614: client used wrong authentication scheme: /wiki/rest/api/space')
    # e) SharePoint behind the reverse proxy: NTLM (two 401 legs) and Kerberos
    for hms, ip in (('09:25:11', '10.20.3.14'), ('09:26:40', '10.20.4.40'), ('09:27:03', '10.20.5.2')):
        t = at(hms, rng.randint(0, 999))
        acc(t, ip, UAS['edge'], 'GET', '/sp/sites/hr/SitePages/Home.aspx', 401, 0, 'auth_challenge', www='Negotiate')
        acc(t + sec(0.011), ip, UAS['edge'], 'GET', '/sp/sites/hr/SitePages/Home.aspx', 401, 0, 'auth_challenge',
            www='NTLM TlRMTVNTUAACAAAADAAMADgAAAAFgomi' + ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') for _ in range(40)) + '==')
        acc(t + sec(0.035), ip, UAS['edge'], 'GET', '/sp/sites/hr/SitePages/Home.aspx', 200, 48120)
    t = at('09:29:30', 310)
    acc(t, '10.20.6.31', UAS['chrome_win'], 'GET', '/sp/sites/it/Shared%20Documents/Forms/AllItems.aspx', 401, 0, 'auth_challenge', www='Negotiate')
    acc(t + sec(0.06), '10.20.6.31', UAS['chrome_win'], 'GET', '/sp/sites/it/Shared%20Documents/Forms/AllItems.aspx', 200, 91200)
    # f) the wiki's new SPA front end sends credentialed preflights
    for hms, ip in (('09:31:14', '10.20.3.21'), ('09:33:50', '10.20.7.12')):
        acc(at(hms, rng.randint(0, 999)), ip, UAS['chrome_win'], 'OPTIONS', '/wiki/rest/api/content/search?cql=space%3DHR', 401, 459, 'cors_preflight', www=BAS,
            ref='https://wiki-app.corp.example/')
    # g) an infected workstation guesses wiki passwords: 18 user names in ~40 s
    names = ['admin', 'administrator', 'test', 'root', 'guest', 'backup', 'scanner', 'printer', 'helpdesk', 'j.smith', 'svc_sql', 'oracle',
             'user1', 'training', 'kiosk', 'hr', 'finance', 'sp_admin']
    t0 = at('09:40:02', 0)
    for i, n in enumerate(names):
        t = t0 + sec(round(i * 2.2 + rng.uniform(0, 0.5), 3))
        acc(t, '10.20.9.66', 'python-requests/2.22.0', 'GET', '/wiki/', 401, 459, 'brute_force', user=n, www=BAS)
        why = '[ldap_simple_bind() to check user credentials failed][Invalid credentials]' if i % 2 else '[User not found][No such object]'
        err(t, 'authnz_ldap', 'info', '10.20.9.66', f'AH01695: auth_ldap authenticate: user {n} authentication failed; URI /wiki/ {why}')
    s.add(ERR, at('09:00:00', 2), f'[{apache_err_time(at("09:00:00", 2))}] [mpm_event:notice] [pid 2229:tid 140229820000000] AH00489: Apache/2.4.58 (Ubuntu) OpenSSL/3.0.13 configured -- resuming normal operations')
    return s
