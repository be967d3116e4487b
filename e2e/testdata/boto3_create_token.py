"""Calls CreateToken through boto3 and prints what happened as JSON.

Usage: boto3_create_token.py ENDPOINT LICENSE_ARN ROLE_ARN

The Go test (boto3_test.go) makes every assertion; this script only
records. Credentials and region come from the environment the test sets.
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError


def error_record(err, modeled):
    meta = err.response.get("ResponseMetadata", {})
    return {
        "Class": type(err).__name__,
        "Modeled": modeled,
        "Code": err.response.get("Error", {}).get("Code", ""),
        "Message": err.response.get("Error", {}).get("Message", ""),
        "HTTPStatusCode": meta.get("HTTPStatusCode", 0),
        "RequestId": meta.get("RequestId", ""),
    }


def create(client, **params):
    """Returns the reply's members, or the error's, tagged with Error."""
    try:
        out = client.create_token(**params)
    except client.exceptions.ValidationException as err:
        return {"Error": error_record(err, True)}
    except ClientError as err:
        return {"Error": error_record(err, False)}
    meta = out["ResponseMetadata"]
    return {
        "TokenId": out.get("TokenId", ""),
        "TokenType": out.get("TokenType", ""),
        "Token": out.get("Token", ""),
        "HTTPStatusCode": meta.get("HTTPStatusCode", 0),
        "RequestId": meta.get("RequestId", ""),
    }


def main():
    endpoint, license_arn, role_arn = sys.argv[1:4]
    client = boto3.client("license-manager", endpoint_url=endpoint)
    ok = dict(
        LicenseArn=license_arn,
        RoleArns=[role_arn],
        TokenProperties=["env=prod"],
        ClientToken="boto3-1",
    )
    four = dict(ok, TokenProperties=["a", "b", "c", "d"], ClientToken="boto3-2")
    json.dump(
        {
            "Created": create(client, **ok),
            "Replayed": create(client, **ok),
            "FourProperties": create(client, **four),
        },
        sys.stdout,
    )


main()
