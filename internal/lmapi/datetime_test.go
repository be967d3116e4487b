package lmapi

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		t.Helper()
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		in   string
		want time.Time
		err  error
	}{
		{"2026-01-01T00:00:00Z", utc("2026-01-01T00:00:00Z"), nil},
		{"2026-06-30T23:59:59.123456789Z", utc("2026-06-30T23:59:59.123456789Z"), nil},
		{"2026-01-01T01:30:00+01:30", utc("2026-01-01T00:00:00Z"), nil},
		{"2025-12-31T19:00:00-05:00", utc("2026-01-01T00:00:00Z"), nil},
		{"2024-02-29T00:00:00Z", utc("2024-02-29T00:00:00Z"), nil},
		// Longer fractions than nanoseconds are cut, as RFC 3339 parsers do.
		{"2026-01-01T00:00:00.1234567891234Z", utc("2026-01-01T00:00:00.123456789Z"), nil},
		{"2026-01-01", time.Time{}, ErrTimePattern},
		{"2026-01-01 00:00:00Z", time.Time{}, ErrTimePattern},
		{"2026-01-01T00:00:00", time.Time{}, ErrTimePattern},
		{"2026-01-01T24:00:00Z", time.Time{}, ErrTimePattern},
		{"2026-01-01t00:00:00z", time.Time{}, ErrTimePattern},
		{"1767225600", time.Time{}, ErrTimePattern},
		{"", time.Time{}, ErrTimePattern},
		// The model's pattern admits these; none names an instant.
		{"2026-02-30T00:00:00Z", time.Time{}, ErrTimeInvalid},
		{"2025-02-29T00:00:00Z", time.Time{}, ErrTimeInvalid},
		{"2026-01-01T00:00:00ZZ", time.Time{}, ErrTimeInvalid},
		{"2026-01-01T00:00:00+2 :00", time.Time{}, ErrTimeInvalid},
		{"2026-01-01T00:00:00Z+01:00", time.Time{}, ErrTimeInvalid},
		{"12026-01-01T00:00:00Z", time.Time{}, ErrTimeInvalid},
		{"-2026-01-01T00:00:00Z", time.Time{}, ErrTimeInvalid},
		{"2026-01-01T00:00:00." + strings.Repeat("0", 30) + "Z", time.Time{}, ErrTimeTooLong},
		// Four-digit years in UTC, from 0001: the zero time.Time is the
		// earliest, and nothing later than 9999 can be written back.
		{"0001-01-01T00:00:00Z", utc("0001-01-01T00:00:00Z"), nil},
		{"9999-12-31T23:59:59.999999999Z", utc("9999-12-31T23:59:59.999999999Z"), nil},
		{"0000-12-31T23:59:59Z", time.Time{}, ErrTimeRange},
		{"0001-01-01T00:00:00+00:01", time.Time{}, ErrTimeRange},
		{"9999-12-31T23:59:59-00:01", time.Time{}, ErrTimeRange},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if !errors.Is(err, tt.err) || (err != nil) != (tt.err != nil) || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, %v, want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatTime(t *testing.T) {
	t.Parallel()
	in := time.Date(2026, 3, 4, 5, 6, 7, 800_000_000, time.FixedZone("x", -5*3600))
	if got, want := FormatTime(in), "2026-03-04T10:06:07Z"; got != want {
		t.Errorf("FormatTime(%v) = %q, want %q", in, got, want)
	}
	back, err := ParseTime(FormatTime(in))
	if err != nil || !back.Equal(in.Truncate(time.Second)) {
		t.Errorf("ParseTime(FormatTime(%v)) = %v, %v", in, back, err)
	}
}

func TestDatetimeRangeTimes(t *testing.T) {
	t.Parallel()
	begin, end, err := (&DatetimeRange{Begin: ptr("2026-01-01T00:00:00Z")}).Times()
	if err != nil || !begin.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !end.IsZero() {
		t.Errorf("Times() without End = %v, %v, %v", begin, end, err)
	}
	begin, end, err = (&DatetimeRange{Begin: ptr("2026-01-01T00:00:00Z"), End: ptr("2026-01-01T02:00:00+01:00")}).Times()
	if err != nil || end.Sub(begin) != time.Hour {
		t.Errorf("Times() = %v, %v, %v; want End an hour after Begin", begin, end, err)
	}
	for _, r := range []DatetimeRange{{}, {Begin: ptr("soon")}, {Begin: ptr("2026-01-01T00:00:00Z"), End: ptr("2026-02-30T00:00:00Z")}} {
		if _, _, err := r.Times(); err == nil {
			t.Errorf("Times() of %+v = nil error", r)
		}
	}
}
