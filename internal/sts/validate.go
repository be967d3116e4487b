package sts

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/license-manager/license-manager/internal/awsjson"
)

// violations collects failed parameter constraints and reports them the
// way STS does:
//
//	1 validation error detected: Value 'has space' at 'roleSessionName'
//	failed to satisfy constraint: Member must satisfy regular expression
//	pattern: [\w+=,.@-]*
type violations []string

func (v *violations) add(value, path, constraint string) {
	*v = append(*v, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, path, constraint))
}

func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return awsjson.Errorf(CodeValidationError, "1 validation error detected: %s", v[0])
	}
	return awsjson.Errorf(CodeValidationError, "%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

// How values appear in a violation: a missing one as null, a sensitive one
// (the web identity token) never.
const (
	null     = "null"
	redacted = "'*** Sensitive Data Redacted ***'"
)

func quote(s string) string { return "'" + truncate(s) + "'" }

const mustNotBeNull = "Member must not be null"

func minLength(n int) string {
	return "Member must have length greater than or equal to " + strconv.Itoa(n)
}

func maxLength(n int) string {
	return "Member must have length less than or equal to " + strconv.Itoa(n)
}

func minValue(n int) string {
	return "Member must have value greater than or equal to " + strconv.Itoa(n)
}

func maxValue(n int) string {
	return "Member must have value less than or equal to " + strconv.Itoa(n)
}
