package python

import "testing"

// The expectations are what Python 3.11's json.loads raises for each text
// (str of its JSONDecodeError), or none where it reads the text.
func TestJSONError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "Expecting value: line 1 column 1 (char 0)", true},
		{"{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)", true},
		{"[", "Expecting value: line 1 column 2 (char 1)", true},
		{"[1", "Expecting ',' delimiter: line 1 column 3 (char 2)", true},
		{"[1,]", "Expecting value: line 1 column 4 (char 3)", true},
		{"{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)", true},
		{"{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)", true},
		{"{\"a\":}", "Expecting value: line 1 column 6 (char 5)", true},
		{"{a:1}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)", true},
		{"[{\"Name\":\"a\",\"Unit\":\"Count\"}", "Expecting ',' delimiter: line 1 column 29 (char 28)", true},
		{"\"abc", "Unterminated string starting at: line 1 column 1 (char 0)", true},
		{"\"a\\qb\"", "Invalid \\escape: line 1 column 3 (char 2)", true},
		{"\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)", true},
		{"\"\\u12G4\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)", true},
		{"\"a\tb\"", "Invalid control character at: line 1 column 3 (char 2)", true},
		{"[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)", true},
		{"{\"a\":1} x", "Extra data: line 1 column 9 (char 8)", true},
		{"tru", "Expecting value: line 1 column 1 (char 0)", true},
		{"01", "Extra data: line 1 column 2 (char 1)", true},
		{"1.", "Extra data: line 1 column 2 (char 1)", true},
		{"-", "Expecting value: line 1 column 1 (char 0)", true},
		{"-x", "Expecting value: line 1 column 1 (char 0)", true},
		{"1e", "Extra data: line 1 column 2 (char 1)", true},
		{"[1]\n\n  x", "Extra data: line 3 column 3 (char 7)", true},
		{"{\n  \"a\": [1,\n  2,,\n]}", "Expecting value: line 3 column 5 (char 17)", true},
		{"in.json", "Expecting value: line 1 column 1 (char 0)", true},
		{"Name=a", "Expecting value: line 1 column 1 (char 0)", true},
		{"{\"a\":1}", "", false},
		{"NaN", "", false},
		{"[1e400]", "", false},
		{"é{", "Expecting value: line 1 column 1 (char 0)", true},
		{"\"é\n\"", "Invalid control character at: line 1 column 3 (char 2)", true},
		{"  ", "Expecting value: line 1 column 3 (char 2)", true},
		{"[1]]", "Extra data: line 1 column 4 (char 3)", true},
		{"{\"a\":1 \"b\":2}", "Expecting ',' delimiter: line 1 column 8 (char 7)", true},
		{"\"\\ud800\\u12\"", "Invalid \\uXXXX escape: line 1 column 9 (char 8)", true},
	}
	for _, tt := range tests {
		got, ok := JSONError(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("JSONError(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
