#!/usr/bin/env python3
"""Writes the held-out scenarios (test/holdout/<name>/*.log, truth.json, README.md).

Usage: python3 test/holdout/gen/generate.py
Deterministic: every scenario seeds its own random generator with its name.
"""
import collections
import sys

import s_go
import s_python
import s_rails
import s_dotnet
import s_idp
import s_gateway
import s_apache
import s_php
import s_bff

BUILDERS = [s_go.go_traefik, s_go.go_nginx, s_python.django, s_python.fastapi_caddy, s_rails.rails, s_dotnet.aspnet,
            s_idp.keycloak, s_gateway.kong, s_apache.intranet, s_php.edge_symfony, s_php.sticky, s_bff.bff]


def main():
    total = collections.Counter()
    scen = collections.defaultdict(set)
    for b in BUILDERS:
        s = b()
        ev = s.write()
        c = collections.Counter(ev.values())
        print(f'{s.name:28s} {len(ev):4d} 401s  ' + ', '.join(f'{k}={v}' for k, v in sorted(c.items())))
        total.update(c)
        for k in c:
            scen[k].add(s.name)
    print('\nper cause (events / scenarios):')
    for k, v in sorted(total.items()):
        print(f'  {k:24s} {v:4d} {len(scen[k])}')
    print(f'  {"total":24s} {sum(total.values()):4d}')
    from common import CAUSES
    missing = CAUSES - set(total)
    if missing or any(v < 2 for v in total.values()):
        print('NOT COVERED TWICE:', missing, [k for k, v in total.items() if v < 2])
        sys.exit(1)


if __name__ == '__main__':
    main()
