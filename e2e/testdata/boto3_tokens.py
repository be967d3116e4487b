"""Drives ListTokens, DeleteToken and GetAccessToken through boto3 and
prints what happened as JSON.

Usage: boto3_tokens.py ENDPOINT LICENSE_ARN LICENSE_ARN_2

Creates five tokens (two on LICENSE_ARN_2), pages through list_tokens two
at a time, filters by license, deletes one token and an unknown id, and
calls get_access_token without credentials (botocore UNSIGNED) before and
after the deletion. The Go test (tokens_test.go) makes every assertion;
this script only records. Credentials and region come from the
environment the test sets.
"""

import json
import sys

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError


def error_record(client, err):
    meta = err.response.get("ResponseMetadata", {})
    code = err.response.get("Error", {}).get("Code", "")
    modeled = getattr(client.exceptions, code, None)
    return {
        "Class": type(err).__name__,
        "Modeled": modeled is not None and isinstance(err, modeled),
        "Code": code,
        "Message": err.response.get("Error", {}).get("Message", ""),
        "HTTPStatusCode": meta.get("HTTPStatusCode", 0),
        "RequestId": meta.get("RequestId", ""),
    }


def call(client, method, **params):
    """Returns the reply without ResponseMetadata, or {"Error": ...}."""
    try:
        out = getattr(client, method)(**params)
    except ClientError as err:
        return {"Error": error_record(client, err)}
    out.pop("ResponseMetadata", None)
    return out


def main():
    endpoint, lic, lic2 = sys.argv[1:4]
    signed = boto3.client("license-manager", endpoint_url=endpoint)
    anonymous = boto3.client(
        "license-manager",
        endpoint_url=endpoint,
        config=Config(signature_version=UNSIGNED),
    )

    created = []
    for i, arn in enumerate([lic, lic2, lic, lic2, lic]):
        created.append(
            call(
                signed,
                "create_token",
                LicenseArn=arn,
                TokenProperties=["équipe-α", "🔑"],
                ClientToken="boto3-tokens-%d" % i,
            )
        )

    pages = []
    params = {"MaxResults": 2}
    for _ in range(10):
        page = call(signed, "list_tokens", **params)
        pages.append(page)
        if "NextToken" not in page:
            break
        params["NextToken"] = page["NextToken"]

    filtered = call(
        signed,
        "list_tokens",
        Filters=[{"Name": "LicenseArns", "Values": [lic2]}],
    )
    bad_next = call(signed, "list_tokens", NextToken="forged")

    refresh = created[0].get("Token", "")
    access = call(
        anonymous,
        "get_access_token",
        Token=refresh,
        TokenProperties=["🔑"],
    )
    deleted = call(signed, "delete_token", TokenId=created[0].get("TokenId", ""))
    unknown = call(signed, "delete_token", TokenId="tok-does-not-exist")
    after = call(anonymous, "get_access_token", Token=refresh)
    listed_after = call(
        signed, "list_tokens", TokenIds=[created[0].get("TokenId", "")]
    )

    json.dump(
        {
            "Created": created,
            "Pages": pages,
            "Filtered": filtered,
            "BadNextToken": bad_next,
            "Access": access,
            "Deleted": deleted,
            "Unknown": unknown,
            "AccessAfterDelete": after,
            "ListedAfterDelete": listed_after,
        },
        sys.stdout,
    )


main()
