package python

import "testing"

func TestStrRepr(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain text", "abc", `'abc'`},
		{"a single quote picks double quotes", "it's", `"it's"`},
		{"a double quote keeps single quotes", `a"b`, `'a"b'`},
		{"both quotes escape the single one", `both ' "`, `'both \' "'`},
		{"escapes for control and unprintable characters", "tab\tnl\n\x01\x7f\u0085é\u200b🔑", `'tab\tnl\n\x01\x7f\x85é\u200b🔑'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := StrRepr(tt.in); got != tt.want {
				t.Errorf("StrRepr(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
