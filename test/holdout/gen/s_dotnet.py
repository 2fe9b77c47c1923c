"""ASP.NET Core 8 JwtBearer behind nginx; Serilog RenderedCompactJsonFormatter (CLEF)."""
from common import nginx_esc, Scenario, at, sec, clf_time, hexid, jdump, background, UAS

PII_DT = "[PII of type 'System.DateTime' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]"


def aspnet():
    fmt = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" '
           '$request_id $upstream_status "$sent_http_www_authenticate" $request_time')
    s = Scenario('aspnet-serilog', """
nginx (custom log_format with $request_id, $upstream_status, $sent_http_www_authenticate) in front of an ASP.NET Core 8 billing API (JwtBearer); Serilog compact JSON (`@t`, rendered `@m`, exception in `@x`, CorrelationId = nginx request id), several lines per failed request.
IdentityModel IDX10223/10222/10501/10503/10214/10205/14100/12741 with and without hidden PII, DenyAnonymousAuthorizationRequirement-only (missing token), CORS preflights answered 401, and 401s explained only by the WWW-Authenticate error_description.
""", args=['--log-format', fmt, '--json-field', 'time=@t', '--json-field', 'message=@m', '--json-field', 'errorText=@x',
           '--json-field', 'requestId=CorrelationId', '--json-field', 'path=RequestPath'])
    A, APP = 'access.log', 'billing-api.log'
    s.file(A, access=True)
    s.file(APP)
    rng = s.rng
    conn = ['0HN1VQ7K2R3S%d' % i for i in range(1, 9)]

    def acc(t, ip, ua, method, path, status, size, truth=None, www='-', rid=None, ref='-', us=None):
        rid = rid or hexid(rng)
        us = us if us is not None else status
        rt = round(rng.uniform(0.003, 0.09), 3)
        s.add(A, t, f'{ip} - - [{clf_time(t)}] "{method} {path} HTTP/1.1" {status} {size} "{ref}" "{ua}" {rid} {us} "{nginx_esc(www)}" {rt:.3f}', truth, status)
        return rid

    def clef(t, rid, path, msg, source, level=None, exc=None, eid=None):
        c = rng.choice(conn)
        d = {'@t': t.strftime('%Y-%m-%dT%H:%M:%S.') + f'{t.microsecond:06d}0Z', '@m': msg, '@i': hexid(rng, 8)}
        if level:
            d['@l'] = level
        if exc:
            d['@x'] = exc
        if eid:
            d['EventId'] = eid
        d.update({'SourceContext': source, 'RequestId': f'{c}:000000{rng.randint(10, 99)}', 'RequestPath': path, 'ConnectionId': c,
                  'CorrelationId': rid, 'Application': 'Billing.Api', 'MachineName': 'billing-api-7f9c6d'})
        s.add(APP, t, jdump(d))

    JWT = 'Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler'
    AUTHZ = 'Microsoft.AspNetCore.Authorization.DefaultAuthorizationService'

    def tail(t, rid, path):
        clef(t, rid, path, 'Authorization failed. These requirements were not met:\nDenyAnonymousAuthorizationRequirement: Requires an authenticated user.', AUTHZ, eid={'Id': 2, 'Name': 'UserAuthorizationFailed'})
        clef(t + sec(0.0004), rid, path, 'AuthenticationScheme: Bearer was challenged.', JWT, eid={'Id': 12, 'Name': 'AuthenticationSchemeChallenged'})

    def token_fail(t, ip, ua, method, path, truth, exc_type, idx, www, ref='-'):
        rid = hexid(rng)
        acc(t, ip, ua, method, path, 401, 0, truth, www=www, rid=rid, ref=ref)
        p = path.split('?')[0]
        t0 = t + s.jitter(-0.8, 0.1)
        clef(t0, rid, p, 'Failed to validate the token.', JWT, exc=f'Microsoft.IdentityModel.Tokens.{exc_type}: {idx}\n   at Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler.ValidateTokenAsync(String token, TokenValidationParameters validationParameters)',
             eid={'Id': 1, 'Name': 'TokenValidationFailed'})
        clef(t0 + sec(0.0011), rid, p, f'Bearer was not authenticated. Failure message: {idx}', JWT, eid={'Id': 7, 'Name': 'AuthenticationSchemeNotAuthenticatedWithFailure'})
        tail(t0 + sec(0.0019), rid, p)

    def anon(t, ip, ua, method, path, truth, ref='-'):
        rid = hexid(rng)
        acc(t, ip, ua, method, path, 401, 0, truth, www='Bearer', rid=rid, ref=ref)
        tail(t + s.jitter(-0.8, 0.1), rid, path.split('?')[0])

    routes = [('GET', '/api/invoices?status=open', 11820, 5), ('GET', lambda r: f'/api/invoices/{r.randint(7000, 7999)}', 2120, 6),
              ('GET', '/api/customers', 9021, 3), ('POST', '/api/invoices', 1311, 2), ('GET', '/health/ready', 2, 2)]
    clients = [(f'198.51.100.{i}', ua) for i, ua in zip(range(140, 150), [UAS['chrome_win'], UAS['edge'], UAS['edge'], UAS['chrome_mac'], UAS['firefox'],
                                                                        'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Excel 16.0.17328; Pro)',
                                                                        'PowerShell/7.4.1', UAS['safari'], UAS['chrome_win'], 'BillingSync/3.2.0 (.NET 8.0.2)'])]
    background(s, lambda t, ip, ua, m, p, st, sz: acc(t, ip, ua, m, p, st, sz), clients, at('14:00:00'), at('14:45:00'), 170, routes)

    exp_www = "Bearer error=\"invalid_token\", error_description=\"The token expired at '03/12/2026 13:47:02'\""
    # a) expired x3 (one retried after a silent refresh at the identity provider, which is not in these logs)
    c, ua = '203.0.113.90', UAS['edge']
    t = at('14:02:11', 481)
    token_fail(t, c, ua, 'GET', '/api/invoices?status=open', 'token_expired', 'SecurityTokenExpiredException',
               "IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '3/12/2026 1:47:02 PM', Current time (UTC): '3/12/2026 2:02:11 PM'.", exp_www)
    acc(t + sec(2.3), c, ua, 'GET', '/api/invoices?status=open', 200, 11820)
    token_fail(at('14:05:40', 90), '203.0.113.91', 'BillingSync/3.1.4 (.NET 8.0.1)', 'POST', '/api/invoices', 'token_expired', 'SecurityTokenExpiredException',
               f"IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '{PII_DT}', Current time (UTC): '{PII_DT}'.",
               "Bearer error=\"invalid_token\", error_description=\"The token expired at '03/12/2026 14:01:57'\"")
    token_fail(at('14:07:03', 702), '203.0.113.92', 'PowerShell/7.4.1', 'GET', '/api/customers', 'token_expired', 'SecurityTokenExpiredException',
               f"IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '{PII_DT}', Current time (UTC): '{PII_DT}'.",
               "Bearer error=\"invalid_token\", error_description=\"The token expired at '03/12/2026 12:30:00'\"")
    # b) not yet valid
    token_fail(at('14:09:30', 310), '203.0.113.93', 'BillingSync/3.2.0 (.NET 8.0.2)', 'POST', '/api/invoices', 'token_not_yet_valid', 'SecurityTokenNotYetValidException',
               f"IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '{PII_DT}', Current time (UTC): '{PII_DT}'.",
               "Bearer error=\"invalid_token\", error_description=\"The token is not valid before '03/12/2026 14:12:00'\"")
    # c) signature / keys
    token_fail(at('14:11:02', 18), '203.0.113.94', UAS['chrome_win'], 'GET', '/api/invoices/7712', 'token_signature_invalid', 'SecurityTokenSignatureKeyNotFoundException',
               "IDX10501: Signature validation failed. Unable to match key: \nkid: 'xK9pQ2vL'. \nNumber of keys in TokenValidationParameters: '2'. \nNumber of keys in Configuration: '0'. \nExceptions caught:\n '[PII of type 'System.Text.StringBuilder' is hidden.]'.",
               'Bearer error="invalid_token", error_description="The signature key was not found"')
    token_fail(at('14:11:47', 640), '203.0.113.95', UAS['firefox'], 'GET', '/api/customers', 'token_signature_invalid', 'SecurityTokenSignatureKeyNotFoundException',
               "IDX10501: Signature validation failed. Unable to match key: \nkid: 'xK9pQ2vL'. \nNumber of keys in TokenValidationParameters: '2'. ",
               'Bearer error="invalid_token", error_description="The signature key was not found"')
    token_fail(at('14:13:20', 277), '203.0.113.96', 'curl/8.4.0', 'GET', '/api/customers', 'token_signature_invalid', 'SecurityTokenInvalidSignatureException',
               "IDX10503: Signature validation failed. Token does not have a kid. Keys tried: '[PII of type 'System.Text.StringBuilder' is hidden.]'. Number of keys in TokenValidationParameters: '2'. ",
               'Bearer error="invalid_token", error_description="The signature is invalid"')
    # d) audience / issuer
    token_fail(at('14:15:09', 845), '10.20.1.14', 'BillingSync/3.2.0 (.NET 8.0.2)', 'GET', '/api/invoices/7001', 'token_claims_invalid', 'SecurityTokenInvalidAudienceException',
               "IDX10214: Audience validation failed. Audiences: 'api://billing-dev'. Did not match: validationParameters.ValidAudience: 'api://billing' or validationParameters.ValidAudiences: 'null'.",
               "Bearer error=\"invalid_token\", error_description=\"The audience 'api://billing-dev' is invalid\"")
    token_fail(at('14:16:55', 150), '10.20.1.14', 'BillingSync/3.2.0 (.NET 8.0.2)', 'GET', '/api/invoices/7001', 'token_claims_invalid', 'SecurityTokenInvalidIssuerException',
               "IDX10205: Issuer validation failed. Issuer: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0'. Did not match: validationParameters.ValidIssuer: 'https://login.microsoftonline.com/4f1c2a9e-1d0b-4b7e-9a52-0c6f2e8d7b13/v2.0' or validationParameters.ValidIssuers: 'null' or validationParameters.ConfigurationManager.CurrentConfiguration.Issuer: 'Null'.",
               "Bearer error=\"invalid_token\", error_description=\"The issuer 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0' is invalid\"")
    # e) malformed tokens
    token_fail(at('14:19:33', 504), '198.51.100.230', 'PostmanRuntime/7.36.3', 'GET', '/api/invoices', 'token_invalid', 'SecurityTokenMalformedException',
               'IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): \'EncodedHeader.EndcodedPayload.EncodedSignature\'. (JWE): \'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag\'.',
               'Bearer error="invalid_token"')
    token_fail(at('14:21:14', 66), '198.51.100.231', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Excel 16.0.17328; Pro)', 'GET', '/api/invoices', 'token_invalid', 'SecurityTokenMalformedException',
               "IDX12741: JWT: '[PII of type 'System.String' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]' must have three segments (JWS) or five segments (JWE).",
               'Bearer error="invalid_token"')
    # f) no token
    anon(at('14:23:40', 730), '198.51.100.232', 'PowerShell/7.4.1', 'GET', '/api/invoices', 'credentials_missing')
    anon(at('14:25:02', 3), '10.20.1.40', 'Go-http-client/1.1', 'GET', '/api/customers', 'credentials_missing')
    # g) CORS preflight hits [Authorize] because UseCors() was registered after UseAuthorization()
    ref = 'https://portal.billing.example/'
    anon(at('14:28:11', 422), '203.0.113.97', UAS['chrome_win'], 'OPTIONS', '/api/invoices/7790', 'cors_preflight', ref=ref)
    anon(at('14:29:50', 980), '203.0.113.98', UAS['safari'], 'OPTIONS', '/api/customers', 'cors_preflight', ref=ref)
    # h) second pod logs only warnings: the header is the only evidence
    acc(at('14:33:18', 270), '203.0.113.99', UAS['edge'], 'GET', '/api/invoices/7340', 401, 0, 'token_expired',
        www="Bearer error=\"invalid_token\", error_description=\"The token expired at '03/12/2026 14:20:51'\"")
    acc(at('14:36:42', 615), '10.20.1.77', 'ReportsWorker/1.4 (.NET 8.0.2)', 'GET', '/api/invoices?status=paid', 401, 0, 'token_claims_invalid',
        www="Bearer error=\"invalid_token\", error_description=\"The audience 'api://reports' is invalid\"")
    # startup noise
    clef(at('14:00:00', 12), '-', '/', 'Now listening on: http://[::]:8080', 'Microsoft.Hosting.Lifetime')
    return s
