package lmapi

import (
	"errors"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"
)

// DateTimePattern is the ISO8601DateTime shape's pattern as the model writes
// it. It admits some strings that name no instant ("2026-02-30T00:00:00Z",
// an offset of "+2 :00", "ZZ"), so members of that shape must also parse
// (see ParseTime).
const DateTimePattern = `^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[0-1]|0[1-9]|[1-2][0-9])T(2[0-3]|[0-1][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|[+-](?:2[ 0-3]|[0-1][0-9]):[0-5][0-9])+$`

// MaxDateTimeLength is the ISO8601DateTime shape's maximum length.
const MaxDateTimeLength = 50

var dateTimeRE = regexp.MustCompile(DateTimePattern)

// Errors of ParseTime.
var (
	ErrTimeTooLong = errors.New("longer than 50 characters")
	ErrTimePattern = errors.New("does not match the ISO8601DateTime pattern")
	ErrTimeInvalid = errors.New("names no instant: want RFC 3339, e.g. 2026-01-01T00:00:00Z")
	ErrTimeRange   = errors.New("outside " + timeRange)
)

// The instants the service accepts: those whose UTC form has a four-digit
// year from 0001, so that every time it stores can be written back in
// TimeFormat, and none is the zero time.Time that stands for "no End".
var (
	minTime = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
)

const timeRange = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z in UTC"

// ParseTime parses an ISO8601DateTime member as the service accepts it: at
// most 50 characters, the model's pattern, and an RFC 3339 instant with an
// optional fraction of a second and a Z or ±hh:mm offset, from 0001 to 9999
// once in UTC. The error wraps ErrTimeTooLong, ErrTimePattern,
// ErrTimeInvalid or ErrTimeRange.
func ParseTime(s string) (time.Time, error) {
	switch {
	case utf8.RuneCountInString(s) > MaxDateTimeLength:
		return time.Time{}, fmt.Errorf("parse time %.60q: %w", s, ErrTimeTooLong)
	case !dateTimeRE.MatchString(s):
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, ErrTimePattern)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, ErrTimeInvalid)
	}
	if t.Before(minTime) || t.After(maxTime) {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, ErrTimeRange)
	}
	return t, nil
}

// FormatTime formats t as the service reports times (CreateTime,
// DeletionDate, IssuedAt, Expiration): in UTC, to the second, as
// TimeFormat.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// mustBeInstant is the constraint a member of the ISO8601DateTime shape
// fails when it matches the pattern but names no instant.
const mustBeInstant = "Member must be a valid date and time in RFC 3339 form, e.g. 2026-01-01T00:00:00Z"

// mustBeInRange is the constraint a member of the ISO8601DateTime shape
// fails when its instant is outside what the service stores.
const mustBeInRange = "Member must be an instant from " + timeRange

// checkTime validates an ISO8601DateTime member and returns its instant,
// or ok false after recording the violation.
func checkTime(v *Violations, path, s string) (t time.Time, ok bool) {
	t, err := ParseTime(s)
	switch {
	case errors.Is(err, ErrTimeTooLong):
		v.Add(Quote(s), path, maxLength(MaxDateTimeLength))
	case errors.Is(err, ErrTimePattern):
		v.Add(Quote(s), path, patternPrefix+DateTimePattern)
	case errors.Is(err, ErrTimeRange):
		v.Add(Quote(s), path, mustBeInRange)
	case err != nil:
		v.Add(Quote(s), path, mustBeInstant)
	}
	return t, err == nil
}

// checkValidity validates a DatetimeRange member at path: Begin required,
// End optional, each an instant, and End later than Begin.
func checkValidity(v *Violations, path string, r *DatetimeRange) {
	if !present(v, path, r) {
		return
	}
	var begin time.Time
	beginOK := false
	if present(v, path+".begin", r.Begin) {
		begin, beginOK = checkTime(v, path+".begin", *r.Begin)
	}
	if r.End == nil {
		return
	}
	if end, ok := checkTime(v, path+".end", *r.End); ok && beginOK && !end.After(begin) {
		v.Add(Quote(*r.End), path+".end", "Member must be later than "+path+".begin ("+*r.Begin+")")
	}
}

// Times returns the instants of a validated range; end is the zero time
// when End is absent.
func (r *DatetimeRange) Times() (begin, end time.Time, err error) {
	if r.Begin == nil {
		return time.Time{}, time.Time{}, errors.New("validity: no Begin")
	}
	if begin, err = ParseTime(*r.Begin); err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("validity begin: %w", err)
	}
	if r.End != nil {
		if end, err = ParseTime(*r.End); err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("validity end: %w", err)
		}
	}
	return begin, end, nil
}
