"""Shared helpers for the held-out 401 scenarios.

Every log line is written from templates in the scenario modules (no line is copied from another
project). A scenario collects lines per file with their timestamps, sorts each file by time and
writes it, so the truth keys ("file:line") always point at the right line.
"""
import base64
import datetime as dt
import json
import os
import random

UTC = dt.timezone.utc
DAY = dt.datetime(2026, 3, 12, tzinfo=UTC)
MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CAUSES = {
    'credentials_invalid', 'credentials_missing', 'auth_header_malformed', 'auth_header_stripped',
    'token_expired', 'token_not_yet_valid', 'token_signature_invalid', 'token_claims_invalid',
    'token_invalid', 'api_key_invalid', 'api_key_restricted', 'cors_preflight', 'session_expired',
    'session_not_sticky', 'oauth_client_invalid', 'account_locked', 'brute_force', 'cdn_cached',
    'auth_challenge', 'unknown',
}


def at(hms, ms=0):
    h, m, s = (int(x) for x in hms.split(':'))
    return DAY.replace(hour=h, minute=m, second=s, microsecond=ms * 1000)


def sec(x):
    return dt.timedelta(seconds=x)


def clf_time(t, off_h=0):
    lt = t + dt.timedelta(hours=off_h)
    sign = '+' if off_h >= 0 else '-'
    return f"{lt.day:02d}/{MON[lt.month - 1]}/{lt.year}:{lt:%H:%M:%S} {sign}{abs(off_h):02d}00"


def iso_ms(t):
    return t.strftime('%Y-%m-%dT%H:%M:%S.') + f"{t.microsecond // 1000:03d}Z"


def iso_us(t, z='Z'):
    return t.strftime('%Y-%m-%dT%H:%M:%S.') + f"{t.microsecond:06d}" + z


def iso_ns(rng, t):
    return t.strftime('%Y-%m-%dT%H:%M:%S.') + f"{t.microsecond:06d}{rng.randint(0, 999):03d}Z"


def iso_off(t, off_h, frac=True):
    lt = t + dt.timedelta(hours=off_h)
    sign = '+' if off_h >= 0 else '-'
    base = lt.strftime('%Y-%m-%dT%H:%M:%S')
    if frac:
        base += f".{lt.microsecond // 1000:03d}"
    return base + f"{sign}{abs(off_h):02d}:00"


def nginx_err_time(t):
    return t.strftime('%Y/%m/%d %H:%M:%S')


def apache_err_time(t):
    return t.strftime('%a %b %d %H:%M:%S.') + f"{t.microsecond:06d}" + t.strftime(' %Y')


def epoch(t):
    return t.timestamp()


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b'=').decode()


def fake_jwt(rng, kid='k1', sub='u', exp=1773300000):
    head = b64url(json.dumps({'alg': 'RS256', 'typ': 'JWT', 'kid': kid}, separators=(',', ':')).encode())
    body = b64url(json.dumps({'sub': sub, 'exp': exp, 'iss': 'https://id.example'}, separators=(',', ':')).encode())
    sig = b64url(bytes(rng.getrandbits(8) for _ in range(256)))
    return f"{head}.{body}.{sig}"


def hexid(rng, n=32):
    return ''.join(rng.choice('0123456789abcdef') for _ in range(n))


def apache_unique_id(rng):
    alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-'
    return 'ZfB' + ''.join(rng.choice(alphabet) for _ in range(21))


def jdump(d):
    return json.dumps(d, separators=(',', ':'), ensure_ascii=False)


UAS = {
    'chrome_win': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
    'chrome_mac': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
    'firefox': 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
    'safari': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15',
    'edge': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80',
    'iphone': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1',
    'android': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36',
}


class Scenario:
    def __init__(self, name, readme, args=()):
        self.name = name
        self.readme = readme
        self.args = list(args)
        self.files = {}
        self.order = []
        self.rng = random.Random(name)

    def file(self, fname, access=False):
        self.files[fname] = {'access': access, 'entries': []}
        self.order.append(fname)

    def add(self, fname, t, text, truth=None, status=None):
        f = self.files[fname]
        assert '\n' not in text, text
        if f['access']:
            assert status is not None, text
            if status == 401:
                assert truth in CAUSES, (fname, text, truth)
            else:
                assert truth is None, (fname, text)
        else:
            assert truth is None
        f['entries'].append((t, len(f['entries']), text, truth))

    def jitter(self, lo=-0.8, hi=0.3):
        """Application lines are written while the request is handled: mostly a little before
        the access line, sometimes after it (clock offsets between hosts)."""
        return sec(round(self.rng.uniform(lo, hi), 3))

    def write(self):
        d = os.path.join(OUT, self.name)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.endswith('.log') or old == 'truth.json':
                os.remove(os.path.join(d, old))
        events = {}
        for fname in self.order:
            ents = sorted(self.files[fname]['entries'], key=lambda e: (e[0], e[1]))
            with open(os.path.join(d, fname), 'w', encoding='utf-8', newline='\n') as fh:
                for i, (_, _, text, truth) in enumerate(ents, 1):
                    fh.write(text + '\n')
                    if truth:
                        events[f"{fname}:{i}"] = truth
        with open(os.path.join(d, 'truth.json'), 'w', encoding='utf-8') as fh:
            json.dump({'args': self.args, 'inputs': self.order, 'events': events}, fh, indent=2, ensure_ascii=False)
            fh.write('\n')
        with open(os.path.join(d, 'README.md'), 'w', encoding='utf-8') as fh:
            fh.write(self.readme.strip() + '\n')
        return events


def background(s, emit, clients, start, end, count, routes, statuses=None):
    """Ordinary traffic: never a 401. `routes` is a list of (method, path, size, weight)."""
    rng = s.rng
    statuses = statuses or [200] * 12 + [304, 304, 404, 302]
    span = (end - start).total_seconds()
    weights = [r[3] for r in routes]
    for _ in range(count):
        t = start + sec(round(rng.uniform(0, span), 3))
        ip, ua = rng.choice(clients)
        method, path, size, _ = rng.choices(routes, weights)[0]
        if callable(path):
            path = path(rng)
        st = rng.choice(statuses)
        if method != 'GET' and st == 304:
            st = 200
        if st in (304, 302):
            size = 0
        elif st == 404:
            size = 153
        emit(t, ip, ua, method, path, st, size)


def nginx_esc(v):
    """nginx (escape=default) writes '"', '\\' and bytes outside 0x20-0x7e as \\xHH."""
    out = []
    for ch in v:
        for b in ch.encode('utf-8'):
            out.append(f'\\x{b:02X}' if b in (0x22, 0x5C) or b < 0x20 or b > 0x7E else chr(b))
    return ''.join(out)


def apache_esc(v):
    """Apache mod_log_config escapes '"' and '\\' with a backslash."""
    return v.replace('\\', '\\\\').replace('"', '\\"')
