package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ctrl-C while a file:// value is read from a FIFO that nobody writes must
// end the command (exit 130) instead of leaving it blocked.
func TestInterruptDuringFileRead(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"--data-dir", t.TempDir(), "create-token", "--cli-input-json", "file://" + fifo},
			Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	}()
	cancel()
	select {
	case code := <-done:
		if code != ExitInterrupted || out.Len() != 0 || strings.TrimSpace(errb.String()) != "" {
			t.Errorf("exit %d, stdout %q, stderr %q; want 130 and nothing printed", code, out.String(), errb.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("the command is still blocked on the FIFO after the interrupt")
	}
}

// An endpoint that streams a reply without end gets exit 255, not an
// exhausted memory.
func TestReplyTooLarge(t *testing.T) {
	env := credentialEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		chunk := bytes.Repeat([]byte(" "), 1<<20)
		for range 20 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	code, out, errOut := runCLI(t, env, append([]string{"--endpoint-url", srv.URL}, createArgs...)...)
	if code != ExitOther || out != "" || !strings.Contains(errOut, "larger than 16 MiB") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 255 saying the reply is too large", code, out, errOut)
	}
}
