package param

import (
	"os"
	"path/filepath"
	"testing"
)

// Placeholders from shared/cases/field-cases.md.
const (
	lic = "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef"
	r1  = "arn:aws:iam::123456789012:role/LicenseConsumer"
	r2  = "arn:aws:iam::123456789012:role/Auditor"
)

// writeFile writes a file in a fresh temporary directory and returns its
// path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeAt(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
}
