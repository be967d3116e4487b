package model

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
)

var (
	// A trailing run of capitals plus "s" is a plural acronym (ARNs, ACLs)
	// and becomes one lower-case word.
	pluralAcronym = regexp.MustCompile(`[A-Z]{2,}s$`)
	// A capitalised word that follows any character starts a new word.
	wordStart = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	// A capital that follows a lower-case letter or digit starts a new word.
	capAfterLower = regexp.MustCompile(`([a-z0-9])([A-Z])`)
)

// CLIName turns a model name (an operation or a structure member) into the
// aws CLI's kebab-case name: CreateToken becomes create-token, LicenseArn
// license-arn, ProductSKU product-sku. It follows botocore's xform_name with
// "-" as the separator; a name that already holds a "-" is returned as is.
func CLIName(name string) string {
	const sep = "-"
	if strings.Contains(name, sep) {
		return name
	}
	if m := pluralAcronym.FindString(name); m != "" {
		name = name[:len(name)-len(m)] + sep + strings.ToLower(m)
	}
	name = wordStart.ReplaceAllString(name, "${1}"+sep+"${2}")
	name = capAfterLower.ReplaceAllString(name, "${1}"+sep+"${2}")
	return strings.ToLower(name)
}

// Doc returns the documentation that applies to the member: its own, else
// that of its shape, as botocore resolves member documentation.
func (m *Member) Doc() string {
	if m.Documentation != "" {
		return m.Documentation
	}
	if m.Shape != nil {
		return m.Shape.Documentation
	}
	return ""
}

// DocOverview abbreviates a documentation string the way aws CLI v2 does in
// YAML input skeletons: the markup is dropped (when the text parses as XML;
// otherwise it is kept), the text is cut before the first run of "." or ":"
// and ends with a single ".", and line breaks become spaces. Unlike
// FirstSentence it neither collapses white space nor needs a space after the
// full stop, so "e.g." or "ISO8601-UTC: ..." cut where the aws CLI cuts.
func DocOverview(doc string) string {
	text := xmlText(doc)
	if i := strings.IndexAny(text, ".:"); i >= 0 {
		text = text[:i]
	}
	if text != "" {
		text += "."
	}
	return strings.NewReplacer("\n", " ", "\u2028", " ").Replace(text)
}

// xmlText returns the character data of doc read as the content of an XML
// element, or doc itself when it is not well-formed XML.
func xmlText(doc string) string {
	dec := xml.NewDecoder(strings.NewReader("<doc>" + doc + "</doc>"))
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return b.String()
		}
		if err != nil {
			return doc
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}
