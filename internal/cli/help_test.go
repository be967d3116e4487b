package cli

import (
	"strings"
	"testing"
)

// Every command listed by "license-manager help" answers "<command> help".
func TestEveryCommandHasHelp(t *testing.T) {
	env := map[string]string{"LICENSE_MANAGER_DATA_DIR": t.TempDir()}
	for _, name := range commandNames() {
		if name == "help" {
			continue
		}
		code, out, errOut := runCLI(t, env, name, "help")
		if code != ExitOK || !strings.Contains(out, name) || errOut != "" {
			t.Errorf("%s help: exit %d, stdout %.80q, stderr %q; want 0 and a page naming the command", name, code, out, errOut)
		}
	}
	if code, _, errOut := runCLI(t, env, "serve", "--help"); code != ExitOK || !strings.Contains(errOut, "-listen") {
		t.Errorf("serve --help: exit %d, stderr %q; want 0 and the options", code, errOut)
	}
}
