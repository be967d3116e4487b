package param

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      []byte
		want    string
		wantErr string
	}{
		{"plain UTF-8", []byte("équipe"), "équipe", ""},
		{"UTF-8 byte order mark dropped", []byte("\xEF\xBB\xBFx"), "x", ""},
		{"empty file", nil, "", ""},
		{"UTF-16BE mark", []byte{0xFE, 0xFF, 0, 'x'}, "", "UTF-16BE"},
		{"UTF-16LE mark", []byte{0xFF, 0xFE, 'x', 0}, "", "UTF-16LE"},
		{"UTF-32LE mark, not UTF-16LE", []byte{0xFF, 0xFE, 0, 0, 'x', 0, 0, 0}, "", "UTF-32LE"},
		{"UTF-16BE without a mark", []byte{0, '{', 0, '}'}, "", "UTF-16BE"},
		{"UTF-32LE without a mark", []byte{'{', 0, 0, 0}, "", "UTF-32LE"},
		{"not UTF-8", []byte{'a', 0xFF, 'b'}, "", "could not be decoded as UTF-8"},
	} {
		got, err := decodeText(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: decodeText error = %v, want one naming %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: decodeText = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestExpandPath(t *testing.T) {
	t.Parallel()
	env := Env{LookupEnv: func(k string) (string, bool) {
		v, ok := map[string]string{"HOME": "/home/u", "D": "/data"}[k]
		return v, ok
	}}
	for _, tc := range []struct{ in, want string }{
		{"~/in.json", "/home/u/in.json"},
		{"~", "/home/u"},
		{"~other/in.json", "~other/in.json"},
		{"$D/in.json", "/data/in.json"},
		{"${D}/in.json", "/data/in.json"},
		{"$UNSET/in.json", "$UNSET/in.json"},
		{"a$$b", "a$$b"},
	} {
		if got := expandVars(expandUser(tc.in, env), env); got != tc.want {
			t.Errorf("expand(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFileErrorsNameThePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Parse(lmOp(t, "DeleteToken"), []string{"--token-id", "file://" + dir}, Env{})
	if err == nil || !strings.Contains(err.Error(), "Unable to load paramfile file://"+dir+": [Errno 21] Is a directory: '"+dir+"'") {
		t.Errorf("Parse error = %v, want one saying the path is a directory", err)
	}
}

func TestReadFileLimited(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero on this system")
	}
	_, err := ReadFileLimited("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Fatalf("ReadFileLimited(/dev/zero) = %v; want an error saying the file is too large", err)
	}
	name := filepath.Join(t.TempDir(), "small")
	if err := os.WriteFile(name, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFileLimited(name); err != nil || string(data) != "abc" {
		t.Fatalf("ReadFileLimited(small) = %q, %v; want abc", data, err)
	}
}
