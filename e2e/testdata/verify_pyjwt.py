"""Verifies a license-manager token with PyJWT and prints the result.

Usage: verify_pyjwt.py JWKS_URL TOKEN ISSUER AUDIENCE

The signing key is found with PyJWKClient on the served JWK set, as
docs/token-format.md shows. The script prints the header and the verified
claims, and the exception class raised for a wrong audience and for a
tampered payload ("" if none was raised). The Go test (jose_test.go) makes
every assertion.
"""

import base64
import json
import sys

import jwt

REQUIRED = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(client, token, issuer, audience):
    key = client.get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key.key,
        algorithms=["ES256"],
        audience=audience,
        issuer=issuer,
        leeway=60,
        options={"require": REQUIRED},
    )


def rejection(client, token, issuer, audience):
    try:
        verify(client, token, issuer, audience)
    except jwt.PyJWTError as err:
        return type(err).__name__
    return ""


def main():
    jwks_url, token, issuer, audience = sys.argv[1:5]
    client = jwt.PyJWKClient(jwks_url, cache_keys=True)

    claims = verify(client, token, issuer, audience)

    header, payload, signature = token.split(".")
    forged_claims = json.loads(unb64url(payload))
    forged_claims["amr"] = ["admin"]
    forged = ".".join([header, b64url(json.dumps(forged_claims).encode()), signature])

    json.dump(
        {
            "Header": jwt.get_unverified_header(token),
            "Claims": claims,
            "WrongAudience": rejection(client, token, issuer, audience + "-other"),
            "Tampered": rejection(client, forged, issuer, audience),
        },
        sys.stdout,
    )


main()
