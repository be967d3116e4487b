"""Verifies the SignedToken of a license checkout with PyJWT and prints the
result.

Usage: verify_borrow_pyjwt.py JWKS_URL TOKEN ISSUER LICENSE_ARN

The signing key is found with PyJWKClient on the served JWK set; the token
must be PS384 (the JWT_PS384 DigitalSignatureMethod) with audience the
license ARN. The script prints the header and the verified claims, and the
exception class raised when the token is verified for another audience,
with its entitlements edited, and with ES256 as the only allowed algorithm
("" if none was raised). The Go test (story_test.go) makes every assertion.
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


def verify(client, token, issuer, audience, algorithms):
    key = client.get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key.key,
        algorithms=algorithms,
        audience=audience,
        issuer=issuer,
        leeway=60,
        options={"require": REQUIRED},
    )


def rejection(client, token, issuer, audience, algorithms=("PS384",)):
    try:
        verify(client, token, issuer, audience, list(algorithms))
    except jwt.PyJWTError as err:
        return type(err).__name__
    return ""


def main():
    jwks_url, token, issuer, audience = sys.argv[1:5]
    client = jwt.PyJWKClient(jwks_url, cache_keys=True)

    claims = verify(client, token, issuer, audience, ["PS384"])

    header, payload, signature = token.split(".")
    more = json.loads(unb64url(payload))
    for e in more.get("entitlements", []):
        if e.get("unit") == "Count":
            e["value"] = "1000"
    forged = ".".join([header, b64url(json.dumps(more).encode()), signature])

    json.dump(
        {
            "Header": jwt.get_unverified_header(token),
            "Claims": claims,
            "WrongAudience": rejection(client, token, issuer, audience + "-other"),
            "Tampered": rejection(client, forged, issuer, audience),
            "OnlyES256": rejection(client, token, issuer, audience, ["ES256"]),
        },
        sys.stdout,
    )


main()
