package cli

import (
	"strings"
	"testing"
)

func TestUnknownProfile(t *testing.T) {
	env := credentialEnv(t)
	env["LICENSE_MANAGER_DATA_DIR"] = t.TempDir()
	code, out, errOut := runCLI(t, env, append([]string{"--profile", "nosuch"}, createArgs...)...)
	if code != ExitConfig || out != "" || strings.TrimSpace(errOut) != "The config profile (nosuch) could not be found" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 253 and the aws CLI's message", code, out, errOut)
	}
}

// An explicitly empty --data-dir is a mistake (an unset variable), not a
// request for the default directory.
func TestEmptyDataDir(t *testing.T) {
	env := credentialEnv(t)
	env["HOME"] = t.TempDir()
	code, out, errOut := runCLI(t, env, append([]string{"--data-dir", ""}, createArgs...)...)
	if code != ExitConfig || out != "" || !strings.Contains(errOut, "data directory: empty") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 253 saying the data directory is empty", code, out, errOut)
	}
}
