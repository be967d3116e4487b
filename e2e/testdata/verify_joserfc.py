"""Verifies a license-manager token with joserfc and prints the result.

Usage: verify_joserfc.py JWKS_URL TOKEN ISSUER AUDIENCE

The JWK set is fetched from the server. The script prints the verified
header and claims, and the exception class raised for a wrong audience and
for a tampered payload ("" if none was raised). The Go test (jose_test.go)
makes every assertion.
"""

import base64
import json
import sys
import urllib.request

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(token, key_set, issuer, audience):
    tok = jwt.decode(token, key_set, algorithms=["ES256"])
    essential = {"essential": True}
    jwt.JWTClaimsRegistry(
        leeway=60,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        sub=essential,
        exp=essential,
        nbf=essential,
        iat=essential,
        jti=essential,
    ).validate(tok.claims)
    return tok


def rejection(token, key_set, issuer, audience):
    try:
        verify(token, key_set, issuer, audience)
    except JoseError as err:
        return type(err).__name__
    return ""


def main():
    jwks_url, token, issuer, audience = sys.argv[1:5]
    with urllib.request.urlopen(jwks_url, timeout=30) as resp:
        key_set = KeySet.import_key_set(json.load(resp))

    tok = verify(token, key_set, issuer, audience)

    header, payload, signature = token.split(".")
    claims = json.loads(unb64url(payload))
    claims["amr"] = ["admin"]
    forged = ".".join([header, b64url(json.dumps(claims).encode()), signature])

    json.dump(
        {
            "Header": tok.header,
            "Claims": tok.claims,
            "WrongAudience": rejection(token, key_set, issuer, audience + "-other"),
            "Tampered": rejection(forged, key_set, issuer, audience),
        },
        sys.stdout,
    )


main()
