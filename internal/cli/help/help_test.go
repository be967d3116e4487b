package help

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/license-manager/license-manager/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func page(t *testing.T, svc *model.Service, op string) string {
	t.Helper()
	var b bytes.Buffer
	if err := Command(&b, model.CLIName(op), svc.Operation(op)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCommandGolden(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"CreateToken", "ListTokens", "DeleteToken", "GetAccessToken", "CreateLicense",
		"ExtendLicenseConsumption", "CheckoutLicense"} {
		got := page(t, model.LicenseManager(), op)
		path := filepath.Join("testdata", model.CLIName(op)+".txt")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Errorf("help for %s (-golden +got):\n%s", op, diff)
		}
	}
}

// The create-token page says what the aws CLI v2 page (testdata/aws-cli-v2-create-token.txt) says,
// word for word, apart from the program name; only the line breaks,
// justification and hyphenation that groff adds differ.
func TestCommandMatchesAWSPageWords(t *testing.T) {
	t.Parallel()
	seed, err := os.ReadFile("testdata/aws-cli-v2-create-token.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Undo groff's hyphenation: "cre-\n   dentials" is one word.
	text := regexp.MustCompile(`([a-z])-\n\s+([a-z])`).ReplaceAllString(string(seed), "$1$2")
	text = strings.ReplaceAll(text, "'aws help'", "'license-manager help'")
	want := strings.Fields(text)
	got := strings.Fields(page(t, model.LicenseManager(), "CreateToken"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("create-token page words (-aws +ours):\n%s", diff)
	}
}

func TestCommandLayout(t *testing.T) {
	t.Parallel()
	code := regexp.MustCompile(`^ {10,}(\[|\{|"|\]|\}|\.\.\.|[A-Za-z]+=)`)
	for _, svc := range []*model.Service{model.LicenseManager(), model.STS()} {
		for _, name := range svc.OperationNames {
			p := page(t, svc, name)
			lines := strings.Split(p, "\n")
			title := strings.ToUpper(model.CLIName(name)) + "()"
			if !strings.HasPrefix(lines[0], title) || !strings.HasSuffix(lines[0], title) {
				t.Errorf("%s: first line %q does not show %s at both ends", name, lines[0], title)
			}
			for _, section := range []string{"NAME", "DESCRIPTION", "SYNOPSIS", "OPTIONS", "OUTPUT"} {
				if !strings.Contains(p, "\n"+section+"\n") {
					t.Errorf("%s: no %s section", name, section)
				}
			}
			for i, l := range lines {
				if len([]rune(l)) > pageWidth && !code.MatchString(l) {
					t.Errorf("%s line %d is %d columns: %q", name, i+1, len([]rune(l)), l)
				}
				if strings.TrimRight(l, " ") != l {
					t.Errorf("%s line %d ends in spaces: %q", name, i+1, l)
				}
			}
		}
	}
}

func TestBooleanOptionShowsBothFlags(t *testing.T) {
	t.Parallel()
	p := page(t, model.LicenseManager(), "ExtendLicenseConsumption")
	for _, want := range []string{"          [--dry-run | --no-dry-run]\n", "       --dry-run | --no-dry-run (boolean)\n"} {
		if !strings.Contains(p, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestOverview(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	Overview(&b, model.LicenseManager(), []string{"create-token", "list-tokens", "serve"})
	got := b.String()
	for _, want := range []string{
		"LICENSE-MANAGER()", "\nNAME\n", "AWS License Manager", "\nAVAILABLE COMMANDS\n",
		"       o create-token\n\n       o list-tokens\n\n       o serve\n",
		// Every command page refers here for the global options.
		"\nGLOBAL OPTIONS\n       --endpoint-url (string)\n", "       --data-dir (string)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("overview lacks %q:\n%s", want, got)
		}
	}
}

func TestDocBlocks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, doc string
		want      []block
	}{
		{"paragraphs", "<p>One.</p> <p>Two  <code>x</code> three.</p>", []block{{text: "One."}, {text: "Two x three."}}},
		{"list", "<p>Filters:</p> <ul> <li> <p> <code>LicenseArns</code> </p> </li> <li>B</li> </ul>",
			[]block{{text: "Filters:"}, {text: "LicenseArns", bullet: true}, {text: "B", bullet: true}}},
		{"entities and links", `<p>a &amp; b &lt;c&gt; <a href="https://x">link</a>.</p>`, []block{{text: "a & b <c> link."}}},
		{"plain text", "Just text.", []block{{text: "Just text."}}},
		{"empty", "", nil},
	} {
		if diff := cmp.Diff(tc.want, docBlocks(tc.doc), cmp.AllowUnexported(block{})); diff != "" {
			t.Errorf("%s: docBlocks(%q) (-want +got):\n%s", tc.name, tc.doc, diff)
		}
	}
}

func TestWriteWrapped(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	writeWrapped(&b, strings.Repeat("word ", 30), 7, 9)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines[:len(lines)-1] {
		indent := len(l) - len(strings.TrimLeft(l, " "))
		if want := map[bool]int{true: 7, false: 9}[i == 0]; indent != want {
			t.Errorf("line %d indent %d, want %d", i, indent, want)
		}
		if len(l) > pageWidth || len(l) < pageWidth-5 {
			t.Errorf("line %d is %d columns, want a full line up to %d", i, len(l), pageWidth)
		}
	}
}
