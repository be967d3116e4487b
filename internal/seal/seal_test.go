package seal

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestSealOpen(t *testing.T) {
	s, err := Load(filepath.Join(t.TempDir(), "sealing-key"))
	if err != nil {
		t.Fatal(err)
	}
	v := s.Seal("page:123456789012", []byte("after=abc"))
	got, err := s.Open("page:123456789012", v)
	if err != nil || string(got) != "after=abc" {
		t.Fatalf("Open = %q, %v; want after=abc", got, err)
	}
	if v2 := s.Seal("page:123456789012", []byte("after=abc")); v2 == v {
		t.Errorf("two seals of one value are equal; the nonce must differ")
	}
	if _, err := s.Open("page:210987654321", v); !errors.Is(err, ErrInvalid) {
		t.Errorf("Open with another purpose = %v, want ErrInvalid", err)
	}
	for i := range len(v) {
		b := []byte(v)
		b[i] ^= 1
		if _, err := s.Open("page:123456789012", string(b)); err == nil {
			// Flipping the low bit of the last base64 character may only
			// change unused padding bits; that must still decode the same.
			if got, _ := s.Open("page:123456789012", string(b)); string(got) != "after=abc" {
				t.Errorf("altered value at %d opened to %q", i, got)
			}
		}
	}
	for _, bad := range []string{"", "!!!", "AAAA", v[:10]} {
		if _, err := s.Open("page:123456789012", bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Open(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	other, err := Load(filepath.Join(t.TempDir(), "sealing-key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Open("page:123456789012", v); !errors.Is(err, ErrInvalid) {
		t.Errorf("another installation's key opened the value: %v", err)
	}
}

func TestLoadConcurrentAgreesOnOneKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir", "sealing-key")
	const n = 16
	sealers := make([]*Sealer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := Load(path)
			if err != nil {
				t.Error(err)
				return
			}
			sealers[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	v := sealers[0].Seal("p", []byte("x"))
	for i, s := range sealers {
		if _, err := s.Open("p", v); err != nil {
			t.Errorf("sealer %d holds another key", i)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the key: temporary files left behind", len(entries))
	}
}

func TestCursor(t *testing.T) {
	s, err := Load(filepath.Join(t.TempDir(), "sealing-key"))
	if err != nil {
		t.Fatal(err)
	}
	next := s.SealCursor("ListLicenses:123456789012", "sel-a", "arn:last")
	if after, err := s.OpenCursor("ListLicenses:123456789012", "sel-a", next); err != nil || after != "arn:last" {
		t.Fatalf("OpenCursor = %q, %v; want arn:last", after, err)
	}
	for _, tc := range []struct{ name, purpose, sel, token string }{
		{"another selection", "ListLicenses:123456789012", "sel-b", next},
		{"another owner", "ListLicenses:210987654321", "sel-a", next},
		{"not a cursor", "ListLicenses:123456789012", "sel-a", s.Seal("ListLicenses:123456789012", []byte("[1]"))},
		{"garbage", "ListLicenses:123456789012", "sel-a", "not-sealed"},
	} {
		if _, err := s.OpenCursor(tc.purpose, tc.sel, tc.token); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: OpenCursor = %v, want ErrInvalid", tc.name, err)
		}
	}
}
