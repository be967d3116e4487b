#!/usr/bin/env python3
"""Regenerate the golden files of package output from the aws CLI itself.

Each case of cases.json is parsed and printed by the aws CLI's own code:
botocore's JSON parser (for cases with an operation and a body), jmespath
(for --query) and the formatters of awscli/formatter.py, text.py and
table.py. Those are the same in aws CLI v1, which is installed, and v2. For
yaml and yaml-stream, which only v2 has, the v2 formatters are restated
below (YAMLDumper, YAMLFormatter, StreamedYAMLFormatter of aws-cli v2's
awscli/formatter.py) over ruamel.yaml 0.17.21 with ruamel.yaml.clib, the
versions aws CLI v2 bundles (Debian: python3-ruamel.yaml,
python3-ruamel.yaml.clib).

Run from this directory with the Python that has awscli installed:

    python3 golden.py

A case whose printer raises gets a <format>.error file holding the message.
"""

import io
import json
import os
import shutil
import subprocess
import sys
from argparse import Namespace

sys.path.append('/usr/lib/python3/dist-packages')  # Debian's ruamel.yaml

import botocore.session  # noqa: E402
import jmespath  # noqa: E402
from botocore.parsers import create_parser  # noqa: E402
from ruamel.yaml import YAML  # noqa: E402

from awscli.formatter import (  # noqa: E402
    JSONFormatter,
    TableFormatter,
    TextFormatter,
)

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, 'golden')


class V2YAMLDumper:
    """aws CLI v2's YAMLDumper: scalars as JSON, the rest as safe YAML."""

    def __init__(self):
        self._yaml = YAML(typ='safe')
        self._yaml.encoding = None
        self._yaml.representer.default_flow_style = False
        assert 'CEmitter' in repr(self._yaml.Emitter), 'need ruamel.yaml.clib'

    def dump(self, value, stream):
        if value is None or isinstance(value, (int, float, bool, str)):
            json.dump(value, stream, ensure_ascii=False)
            stream.write('\n')
        else:
            self._yaml.dump(value, stream)


def response_of(case):
    """The parsed response and the query to apply to it."""
    if 'operation' in case:
        session = botocore.session.get_session()
        model = session.get_service_model('license-manager')
        shape = model.operation_model(case['operation']).output_shape
        parsed = create_parser('json').parse(
            {'body': case['body'].encode('utf-8'), 'headers': {},
             'status_code': 200},
            shape)
        return parsed, case.get('query')
    text = case['json'] if 'json' in case else json.dumps(case['value'])
    # A bare value stands for a query result: wrap it and select it.
    return {'v': json.loads(text)}, 'v'


def render(fmt, case):
    response, query = response_of(case)
    compiled = jmespath.compile(query) if query else None
    args = Namespace(query=compiled, color='off')
    out = io.StringIO()
    if fmt == 'json':
        JSONFormatter(args)(case.get('operation', 'Op'), response, out)
    elif fmt == 'text':
        TextFormatter(args)(case.get('operation', 'Op'), response, out)
    elif fmt == 'table':
        f = TableFormatter(args)
        f.table._terminal_width = case.get('width', 80)
        f(case.get('operation', 'Op'), response, out)
    elif fmt in ('yaml', 'yaml-stream'):
        response.pop('ResponseMetadata', None)
        data = compiled.search(response) if compiled else response
        if data != {}:
            V2YAMLDumper().dump(data if fmt == 'yaml' else [data], out)
    return out.getvalue().encode('utf-8')


COLOR_SCRIPT = r'''
import json, sys
sys.path.insert(0, %(here)r)
from golden import response_of
import jmespath
from argparse import Namespace
from awscli.formatter import TableFormatter
case = json.loads(sys.stdin.read())
response, query = response_of(case)
args = Namespace(query=jmespath.compile(query) if query else None, color='on')
f = TableFormatter(args)
f.table._terminal_width = case.get('width', 80)
f(case.get('operation', 'Op'), response)
'''


def render_color(case):
    """The colored table, from a child process: colorama's auto-reset
    wraps the real stdout, so the formatter must write there."""
    proc = subprocess.run(
        [sys.executable, '-c', COLOR_SCRIPT % {'here': HERE}],
        input=json.dumps(case).encode('utf-8'), capture_output=True,
        check=True)
    return proc.stdout


def main():
    with open(os.path.join(HERE, 'cases.json'), encoding='utf-8') as f:
        cases = json.load(f)
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for case in cases:
        d = os.path.join(GOLDEN, case['name'])
        os.makedirs(d)
        for fmt in ('json', 'text', 'table', 'yaml', 'yaml-stream'):
            try:
                data, name = render(fmt, case), fmt
            except Exception as e:  # the aws CLI would fail here too
                data, name = (str(e) + '\n').encode('utf-8'), fmt + '.error'
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)
        if case.get('color'):
            with open(os.path.join(d, 'table-color'), 'wb') as f:
                f.write(render_color(case))


if __name__ == '__main__':
    main()
