"""Runs the managed-entitlements story through boto3 and prints what each
step got, as JSON.

Usage: boto3_story.py ENDPOINT SELLER_KEY_ID SELLER_SECRET BUYER_ACCOUNT ROLE_ARN

The seller (the key given) issues a license to BUYER_ACCOUNT, whose key
is the one in the environment, and a second license of another SKU; the
buyer lists what it received and creates a token for ROLE_ARN; the
software, with no key of its own (botocore UNSIGNED), trades the token for
an access token and that for temporary credentials, with which it reads its
license, checks a seat out, extends and checks it in, tries the other
license, and borrows; the buyer then deletes the token. The parameters are
written out in full, without shorthand, as a boto3 user writes them. The Go
test (story_test.go) makes every assertion; this script only records: each
step is {"Reply": ...} or {"Error": ...}.
"""

import json
import sys

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

ISSUER = {
    "Name": "Acme",
    "SignKey": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
}
VALIDITY = {"Begin": "2024-01-01T00:00:00Z", "End": "2099-12-31T23:59:59Z"}
ENTITLEMENTS = [
    {
        "Name": "Seats",
        "MaxCount": 10,
        "Overage": False,
        "Unit": "Count",
        "AllowCheckIn": True,
    },
    {
        "Name": "AdvancedReports",
        "Value": "enabled",
        "Unit": "None",
        "AllowCheckIn": True,
    },
]


def consumption(provisional_minutes):
    return {
        "RenewType": "Monthly",
        "ProvisionalConfiguration": {"MaxTimeToLiveInMinutes": provisional_minutes},
        "BorrowConfiguration": {"AllowEarlyCheckIn": True, "MaxTimeToLiveInMinutes": 1440},
    }


def error_record(client, err):
    meta = err.response.get("ResponseMetadata", {})
    code = err.response.get("Error", {}).get("Code", "")
    return {
        "Class": type(err).__name__,
        # The modeled class is the one named after the code, or, in STS,
        # after the code and "Exception".
        "Modeled": any(
            isinstance(err, getattr(client.exceptions, name, ()))
            for name in (code, code + "Exception")
            if hasattr(client.exceptions, name)
        ),
        "Code": code,
        "Message": err.response.get("Error", {}).get("Message", ""),
        "HTTPStatusCode": meta.get("HTTPStatusCode", 0),
        "RequestId": meta.get("RequestId", ""),
    }


def call(client, method, **params):
    """Returns {"Reply": the reply without ResponseMetadata} or {"Error": ...}."""
    try:
        out = getattr(client, method)(**params)
    except ClientError as err:
        return {"Error": error_record(client, err)}
    out.pop("ResponseMetadata", None)
    return {"Reply": out}


def assumed(reply):
    """Keeps what the Go test checks of an AssumeRoleWithWebIdentity reply,
    and none of the secrets."""
    if "Reply" not in reply:
        return reply
    r = reply["Reply"]
    return {
        "Reply": {
            "AccessKeyId": r["Credentials"]["AccessKeyId"],
            "Arn": r["AssumedRoleUser"]["Arn"],
            "AssumedRoleId": r["AssumedRoleUser"]["AssumedRoleId"],
            "SubjectFromWebIdentityToken": r["SubjectFromWebIdentityToken"],
            "Audience": r["Audience"],
            "Provider": r["Provider"],
        }
    }


def main():
    endpoint, seller_key, seller_secret, buyer_account, role_arn = sys.argv[1:6]
    unsigned = Config(signature_version=UNSIGNED)
    seller = boto3.client(
        "license-manager",
        endpoint_url=endpoint,
        aws_access_key_id=seller_key,
        aws_secret_access_key=seller_secret,
    )
    buyer = boto3.client("license-manager", endpoint_url=endpoint)
    software = boto3.client("license-manager", endpoint_url=endpoint, config=unsigned)
    software_sts = boto3.client("sts", endpoint_url=endpoint, config=unsigned)
    out = {}

    def create(sku, client_token):
        return call(
            seller,
            "create_license",
            LicenseName="Acme Analytics Pro",
            ProductName="Acme Analytics",
            ProductSKU=sku,
            Issuer=ISSUER,
            HomeRegion="us-east-1",
            Validity=VALIDITY,
            Entitlements=ENTITLEMENTS,
            Beneficiary=buyer_account,
            ConsumptionConfiguration=consumption(60),
            LicenseMetadata=[{"Name": "Edition", "Value": "Pro"}],
            ClientToken=client_token,
            Tags=[{"Key": "team", "Value": "sales"}],
        )

    out["Created"] = create("ACME-ANALYTICS-PRO", "story-boto3-license")
    out["CreatedOther"] = create("ACME-ANALYTICS-LITE", "story-boto3-other")
    out["CreateReplayed"] = create("ACME-ANALYTICS-PRO", "story-boto3-license")
    lic = out["Created"].get("Reply", {}).get("LicenseArn", "")
    other = out["CreatedOther"].get("Reply", {}).get("LicenseArn", "")

    out["Received"] = call(
        buyer,
        "list_received_licenses",
        Filters=[{"Name": "IssuerName", "Values": ["Acme"]}],
    )
    out["Issued"] = call(
        seller,
        "list_licenses",
        Filters=[{"Name": "ProductSKU", "Values": ["ACME-ANALYTICS-PRO"]}],
    )
    out["Token"] = call(
        buyer,
        "create_token",
        LicenseArn=lic,
        RoleArns=[role_arn],
        ClientToken="story-boto3-token",
    )
    refresh = out["Token"].get("Reply", {}).get("Token", "")

    # The software holds the refresh token and nothing else.
    out["Access"] = call(software, "get_access_token", Token=refresh)
    access = out["Access"].get("Reply", {}).get("AccessToken", "")
    assume = dict(RoleArn=role_arn, RoleSessionName="s1", WebIdentityToken=access)
    r = call(software_sts, "assume_role_with_web_identity", **assume)
    out["Assumed"] = assumed(r)
    creds = r.get("Reply", {}).get("Credentials", {})
    temp = boto3.client(
        "license-manager",
        endpoint_url=endpoint,
        aws_access_key_id=creds.get("AccessKeyId", ""),
        aws_secret_access_key=creds.get("SecretAccessKey", ""),
        aws_session_token=creds.get("SessionToken", ""),
    )

    out["License"] = call(temp, "get_license", LicenseArn=lic)
    fingerprint = out["License"].get("Reply", {}).get("License", {}).get("Issuer", {}).get("KeyFingerprint", "")
    out["Checkout"] = call(
        temp,
        "checkout_license",
        ProductSKU="ACME-ANALYTICS-PRO",
        CheckoutType="PROVISIONAL",
        KeyFingerprint=fingerprint,
        Entitlements=[{"Name": "Seats", "Value": "1", "Unit": "Count"}],
        NodeId="node-1",
        ClientToken="story-boto3-checkout",
    )
    consumption_token = out["Checkout"].get("Reply", {}).get("LicenseConsumptionToken", "")
    out["UsageCheckedOut"] = call(temp, "get_license_usage", LicenseArn=lic)

    # A longer provisional time to live makes the extension visible
    # whatever the clock says.
    out["Version2"] = call(
        seller,
        "create_license_version",
        LicenseArn=lic,
        LicenseName="Acme Analytics Pro",
        ProductName="Acme Analytics",
        Issuer=ISSUER,
        HomeRegion="us-east-1",
        Validity=VALIDITY,
        LicenseMetadata=[{"Name": "Edition", "Value": "Pro"}],
        Entitlements=ENTITLEMENTS,
        ConsumptionConfiguration=consumption(120),
        Status="AVAILABLE",
        ClientToken="story-boto3-version",
        SourceVersion="1",
    )
    out["ExtendDryRun"] = call(
        temp,
        "extend_license_consumption",
        LicenseConsumptionToken=consumption_token,
        DryRun=True,
    )
    out["Extend"] = call(temp, "extend_license_consumption", LicenseConsumptionToken=consumption_token)
    out["CheckIn"] = call(temp, "check_in_license", LicenseConsumptionToken=consumption_token)
    out["UsageCheckedIn"] = call(temp, "get_license_usage", LicenseArn=lic)
    out["CheckInAgain"] = call(temp, "check_in_license", LicenseConsumptionToken=consumption_token)

    out["CheckoutOther"] = call(
        temp,
        "checkout_license",
        ProductSKU="ACME-ANALYTICS-LITE",
        CheckoutType="PROVISIONAL",
        KeyFingerprint=fingerprint,
        Entitlements=[{"Name": "Seats", "Value": "1", "Unit": "Count"}],
        ClientToken="story-boto3-checkout-other",
    )
    out["GetOther"] = call(temp, "get_license", LicenseArn=other)

    out["Borrow"] = call(
        temp,
        "checkout_borrow_license",
        LicenseArn=lic,
        Entitlements=[
            {"Name": "Seats", "Value": "1", "Unit": "Count"},
            {"Name": "AdvancedReports", "Value": "enabled", "Unit": "None"},
        ],
        DigitalSignatureMethod="JWT_PS384",
        NodeId="laptop-7",
        CheckoutMetadata=[{"Name": "reason", "Value": "offline demo"}],
        ClientToken="story-boto3-borrow",
    )
    out["UsageBorrowed"] = call(temp, "get_license_usage", LicenseArn=lic)

    out["DeleteToken"] = call(buyer, "delete_token", TokenId=out["Token"].get("Reply", {}).get("TokenId", ""))
    out["AccessAfterDelete"] = call(software, "get_access_token", Token=refresh)
    out["AssumeAfterDelete"] = assumed(call(software_sts, "assume_role_with_web_identity", **assume))

    json.dump(out, sys.stdout)


main()
