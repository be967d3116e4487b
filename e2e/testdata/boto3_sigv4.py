"""Sends one signed License Manager call (ListTokens) and one signed STS
call (GetCallerIdentity) through boto3 and prints what happened as JSON.

Usage: boto3_sigv4.py ENDPOINT

The Go test (sigv4_test.go) makes every assertion; this script only
records. Credentials and region come from the environment the test sets.
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError


def record(call):
    try:
        out = call()
    except ClientError as err:
        return {
            "Code": err.response.get("Error", {}).get("Code", ""),
            "Message": err.response.get("Error", {}).get("Message", ""),
            "HTTPStatusCode": err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0),
        }
    out.pop("ResponseMetadata", None)
    return {"Reply": json.loads(json.dumps(out, default=str))}


def main():
    endpoint = sys.argv[1]
    lm = boto3.client("license-manager", endpoint_url=endpoint)
    sts = boto3.client("sts", endpoint_url=endpoint)
    print(json.dumps({
        "ListTokens": record(lm.list_tokens),
        "GetCallerIdentity": record(sts.get_caller_identity),
    }))


if __name__ == "__main__":
    main()
