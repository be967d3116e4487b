"""Serialize License Manager requests as boto3 and the aws CLI send them.

Reads {"Operation": {params}, ...} on standard input and writes
{"Operation": body, ...}: each body is what botocore's JSON serializer puts
on the wire, after botocore's own parameter validation. Nothing is sent.
"""

import json
import sys

import botocore.session
from botocore import serialize

service = botocore.session.get_session().get_service_model("license-manager")
serializer = serialize.create_serializer("json", include_validation=True)
bodies = {}
for operation, params in json.load(sys.stdin).items():
    request = serializer.serialize_to_request(params, service.operation_model(operation))
    bodies[operation] = json.loads(request["body"] or b"{}")
json.dump(bodies, sys.stdout)
