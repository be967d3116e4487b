package output

import (
	"encoding/json"
	"testing"
)

// The expectations below are what Python 3.11 prints: repr(float(literal))
// for the floats, json.loads for the integers, repr(str) for the strings.

func TestPyNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, literal, want string
		isFloat             bool
	}{
		{"an integer", "7", "7", false},
		{"a negative integer", "-12", "-12", false},
		{"minus zero as an integer", "-0", "0", false},
		{"an integer beyond 64 bits", "123456789012345678901234567890", "123456789012345678901234567890", false},
		{"a float with a zero fraction", "1.0", "1.0", true},
		{"a trailing zero", "2.50", "2.5", true},
		{"negative zero", "-0.0", "-0.0", true},
		{"a tenth", "0.1", "0.1", true},
		{"an exponent without fraction", "1e5", "100000.0", true},
		{"an upper-case exponent", "1E-7", "1e-07", true},
		{"the smallest positional value", "0.0001", "0.0001", true},
		{"the largest scientific small value", "0.00001", "1e-05", true},
		{"the largest positional value", "1e15", "1000000000000000.0", true},
		{"sixteen digits", "9999999999999998.0", "9999999999999998.0", true},
		{"the smallest scientific large value", "1e16", "1e+16", true},
		{"a three-digit exponent", "1.5e300", "1.5e+300", true},
		{"the largest float", "1.7976931348623157e308", "1.7976931348623157e+308", true},
		{"an overflow", "1e400", "inf", true},
		{"a negative overflow", "-1e400", "-inf", true},
		{"the smallest subnormal", "5e-324", "5e-324", true},
		{"a rounding artefact", "0.30000000000000004", "0.30000000000000004", true},
		{"a negative scientific value", "-123.456e-10", "-1.23456e-08", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, isFloat := pyNumber(json.Number(tt.literal))
			if got != tt.want || isFloat != tt.isFloat {
				t.Errorf("pyNumber(%q) = %q, %v, want %q, %v", tt.literal, got, isFloat, tt.want, tt.isFloat)
			}
		})
	}
}
