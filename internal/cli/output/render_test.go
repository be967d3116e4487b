package output

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

func TestRenderUnknownFormat(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := Render(&buf, Options{Format: "xml"}, jsondoc.NewObject())
	if err == nil {
		t.Fatal(`Render(format "xml") = nil, want an error`)
	}
	for _, f := range append([]string{`"xml"`}, Formats...) {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("Render(format xml) error = %q, want it to name %s", err, f)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("Render(format xml) wrote %q, want nothing", buf.String())
	}
}

func TestRenderRejectsNonDocuments(t *testing.T) {
	t.Parallel()
	for _, v := range []any{42, 1.5, map[string]any{}, []any{struct{}{}}, (*jsondoc.Object)(nil)} {
		var buf bytes.Buffer
		if err := Render(&buf, Options{Format: "json"}, v); err == nil {
			t.Errorf("Render(%#v) = nil, want an error", v)
		}
	}
}

// TestRenderEmptyResponse covers DeleteToken: its {} prints nothing in any
// format, as aws CLI v2 prints nothing.
func TestRenderEmptyResponse(t *testing.T) {
	t.Parallel()
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := Render(&buf, Options{Format: f, Title: "DeleteToken"}, jsondoc.NewObject()); err != nil {
			t.Errorf("Render(%s, {}) error: %v", f, err)
		}
		if buf.Len() != 0 {
			t.Errorf("Render(%s, {}) wrote %q, want nothing", f, buf.String())
		}
	}
}

// TestRenderBareStringInText covers `--query Token --output text`, which
// scripts capture with $(...).
func TestRenderBareStringInText(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Render(&buf, Options{Format: "text"}, "eyJ.payload.sig"); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "eyJ.payload.sig\n"; got != want {
		t.Errorf("Render(text, string) = %q, want %q", got, want)
	}
}

type failingWriter struct{}

var errWrite = errors.New("broken pipe")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestRenderReportsWriteErrors(t *testing.T) {
	t.Parallel()
	if err := Render(failingWriter{}, Options{Format: "text"}, "x"); !errors.Is(err, errWrite) {
		t.Errorf("Render to a failing writer = %v, want %v", err, errWrite)
	}
}
