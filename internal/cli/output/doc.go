// Package output is the response side of the command line: it turns a
// service response into the document the aws CLI would hold (FromResponse),
// applies --query to it (Query), and prints it in each --output format
// (Render) exactly as aws CLI v2 prints it.
//
// Documents are the values of package jsondoc: nil, bool, json.Number,
// string, []any and *jsondoc.Object. Output rules come from the aws CLI's
// own printers (awscli/formatter.py, text.py and table.py, and ruamel.yaml
// over libyaml for YAML), which are Python; where Python's conversions show
// in the output (str(True) is "True", 1e16 prints as 1e+16) this package
// reproduces them. The golden files in testdata were produced by those
// printers; testdata/golden.py regenerates them.
//
// BUG(output): timestamp and blob members are printed as the server sent
// them; aws CLI v2 would reformat them. No JSON operation this project
// serves returns either.
//
// BUG(output): YAML output never uses anchors; ruamel.yaml writes &id001 and
// *id001 when a query selects the very same object twice, e.g.
// [Tokens[0], Tokens[0]].
//
// BUG(output): the JMESPath functions keys() and values(), and objects
// built by merge() or written as JSON literals, follow go-jmespath's order
// (random for keys() and values(), sorted here for the objects) where the
// aws CLI keeps insertion order.
package output
