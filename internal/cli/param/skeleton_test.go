package param

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
	"github.com/license-manager/license-manager/internal/model"
)

func lmOp(t *testing.T, name string) *model.Operation {
	t.Helper()
	op := model.LicenseManager().Operation(name)
	if op == nil {
		t.Fatalf("no operation %s in the License Manager model", name)
	}
	return op
}

func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The expected bytes are copied from shared/cases/skeletons.md, the output
// of aws CLI v2.9.19.
func TestInputSkeletonMatchesAWS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ op, cmd string }{
		{"CreateToken", "create-token"},
		{"ListTokens", "list-tokens"},
		{"DeleteToken", "delete-token"},
		{"GetAccessToken", "get-access-token"},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			t.Parallel()
			op := lmOp(t, tc.op)
			for _, mode := range []struct {
				args   []string
				golden string
			}{
				{[]string{"--generate-cli-skeleton"}, tc.cmd + ".skeleton.json"},
				{[]string{"--generate-cli-skeleton", "input"}, tc.cmd + ".input.json"},
				{[]string{"--generate-cli-skeleton", "yaml-input"}, tc.cmd + ".yaml-input.yaml"},
			} {
				req, err := Parse(op, mode.args, Env{})
				if err != nil {
					t.Fatalf("Parse(%q) error: %v", mode.args, err)
				}
				got := string(InputSkeleton(op, req.Skeleton == SkeletonYAMLInput))
				if diff := cmp.Diff(golden(t, mode.golden), got); diff != "" {
					t.Errorf("%s %q (-aws +ours):\n%s", tc.cmd, mode.args, diff)
				}
			}
		})
	}
}

func TestOutputSkeletonMatchesAWS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		op   string
		args []string
		want string
	}{
		{"CreateToken", []string{"--license-arn", "L", "--client-token", "x", "--generate-cli-skeleton", "output"}, "create-token.output.json"},
		{"ListTokens", []string{"--generate-cli-skeleton", "output"}, "list-tokens.output.json"},
		{"GetAccessToken", []string{"--token", "T", "--generate-cli-skeleton", "output"}, "get-access-token.output.json"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			op := lmOp(t, tc.op)
			req, err := Parse(op, tc.args, Env{})
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tc.args, err)
			}
			if req.Skeleton != SkeletonOutput {
				t.Fatalf("Parse(%q).Skeleton = %q, want output", tc.args, req.Skeleton)
			}
			b, err := json.MarshalIndent(OutputSkeleton(op), "", "    ")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(golden(t, tc.want), string(b)+"\n"); diff != "" {
				t.Errorf("output skeleton (-aws +ours):\n%s", diff)
			}
		})
	}
}

func TestOutputSkeletonOfEmptyOutputIsEmpty(t *testing.T) {
	t.Parallel()
	op := lmOp(t, "DeleteToken")
	if _, err := Parse(op, []string{"--token-id", "t", "--generate-cli-skeleton", "output"}, Env{}); err != nil {
		t.Fatal(err)
	}
	// aws prints nothing for an empty response; delete-token.output.json
	// is empty.
	if got := OutputSkeleton(op); got.Len() != 0 || golden(t, "delete-token.output.json") != "" {
		t.Errorf("OutputSkeleton(DeleteToken) has %d members, want none", got.Len())
	}
}

// BR-03: output mode still needs the required options.
func TestOutputSkeletonNeedsRequiredOptions(t *testing.T) {
	t.Parallel()
	_, err := Parse(lmOp(t, "CreateToken"), []string{"--generate-cli-skeleton", "output"}, Env{})
	if err == nil {
		t.Fatal("Parse succeeded without --license-arn and --client-token")
	}
	if diff := cmp.Diff(golden(t, "create-token.output-missing-required.stderr"), Format(err)+"\n"); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
}

// BR-03: output mode validates the options it is given.
func TestOutputSkeletonValidatesOptions(t *testing.T) {
	t.Parallel()
	_, err := Parse(lmOp(t, "ListTokens"), []string{"--max-results", "0", "--generate-cli-skeleton", "output"}, Env{})
	want := "Parameter validation failed:\nInvalid value for parameter MaxResults, value: 0, valid min value: 1"
	if err == nil || err.Error() != want {
		t.Errorf("Parse error = %v, want %q", err, want)
	}
}

// BR-04a: options given with an input skeleton neither fill it nor fail
// validation.
func TestInputSkeletonIgnoresOtherOptions(t *testing.T) {
	t.Parallel()
	op := lmOp(t, "CreateToken")
	req, err := Parse(op, []string{"--license-arn", "L", "--client-token", "x", "--expiration-in-days", "-5",
		"--token-properties", "a", "b", "c", "d", "--generate-cli-skeleton"}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if req.Skeleton != SkeletonInput {
		t.Fatalf("Skeleton = %q, want input", req.Skeleton)
	}
	if diff := cmp.Diff(golden(t, "create-token.skeleton.json"), string(InputSkeleton(op, false))); diff != "" {
		t.Errorf("skeleton (-want +got):\n%s", diff)
	}
}

// BR-04b and BR-10b: every operation's skeletons read back through
// --cli-input-json and --cli-input-yaml to the same document, and client-side
// validation finds nothing wrong with it but the min constraints that its
// placeholders break (as the aws CLI's does); create-token's skeleton,
// having no such constraints, is sent as it stands, for the server to judge.
func TestSkeletonsRoundTrip(t *testing.T) {
	t.Parallel()
	minProblem := regexp.MustCompile(`^Invalid (length|value) for parameter \S+, value: 0, valid min (length|value): \d+$`)
	for _, svc := range []*model.Service{model.LicenseManager(), model.STS()} {
		for _, name := range svc.OperationNames {
			op := svc.Operations[name]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				u := unpacker{}
				js := string(InputSkeleton(op, false))
				fromJSON, err := u.inputDocument(optInputJSON, js, false)
				if err != nil {
					t.Fatalf("JSON skeleton rejected: %v", err)
				}
				ys := string(InputSkeleton(op, true))
				fromYAML, err := u.inputDocument(optInputYAML, ys, true)
				if err != nil {
					t.Fatalf("YAML skeleton rejected: %v\n%s", err, ys)
				}
				if diff := cmp.Diff(docJSON(t, fromJSON), docJSON(t, fromYAML)); diff != "" {
					t.Errorf("YAML and JSON skeletons differ (-json +yaml):\n%s", diff)
				}
				_, err = Parse(op, []string{"--cli-input-yaml", ys}, Env{})
				if err == nil {
					return
				}
				for _, line := range strings.Split(err.Error(), "\n")[1:] {
					if !minProblem.MatchString(line) {
						t.Errorf("skeleton fails validation: %s", line)
					}
				}
			})
		}
	}
	if _, err := Parse(lmOp(t, "CreateToken"), []string{"--cli-input-json", string(InputSkeleton(lmOp(t, "CreateToken"), false))}, Env{}); err != nil {
		t.Errorf("create-token skeleton rejected: %v", err)
	}
}

func docJSON(t *testing.T, o *jsondoc.Object) string {
	t.Helper()
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BR-04b: the YAML skeleton marks the required members and, once filled
// in, is accepted.
func TestFilledYAMLSkeletonIsAccepted(t *testing.T) {
	t.Parallel()
	op := lmOp(t, "CreateToken")
	ys := string(InputSkeleton(op, true))
	var top map[string]any
	if err := yaml.Unmarshal([]byte(ys), &top); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range top {
		keys = append(keys, k)
	}
	if len(keys) != 5 {
		t.Errorf("YAML skeleton has top-level keys %v, want the 5 input members", keys)
	}
	var node yaml.Node
	if err := yaml.Unmarshal([]byte(ys), &node); err != nil {
		t.Fatal(err)
	}
	m := node.Content[0]
	for i := 0; i < len(m.Content); i += 2 {
		k := m.Content[i]
		required := k.Value == "LicenseArn" || k.Value == "ClientToken"
		marked := strings.Contains(k.LineComment+m.Content[i+1].LineComment, "[REQUIRED]")
		if required != marked {
			t.Errorf("%s comment %q: required=%v marked=%v", k.Value, k.LineComment, required, marked)
		}
		switch k.Value {
		case "LicenseArn":
			m.Content[i+1].Value = lic
		case "ClientToken":
			m.Content[i+1].Value = "ct-br04"
		}
	}
	filled, err := yaml.Marshal(&node)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "s.yaml", filled)
	req, err := Parse(op, []string{"--cli-input-yaml", "file://" + path}, Env{})
	if err != nil {
		t.Fatalf("filled skeleton rejected: %v\n%s", err, filled)
	}
	want := `{"LicenseArn":"` + lic + `","RoleArns":[""],"ExpirationInDays":0,"TokenProperties":[""],"ClientToken":"ct-br04"}`
	if got := docJSON(t, req.Params); got != want {
		t.Errorf("Params = %s, want %s", got, want)
	}
}

func TestCommentGapFollowsRuamel(t *testing.T) {
	t.Parallel()
	// Each row was dumped by ruamel.yaml 0.17 with yaml_add_eol_comment
	// on the keys that have a comment; want is the gap before each "#".
	for _, tc := range []struct {
		name     string
		keys     []string
		comments []string
		want     []string
	}{
		{"first key commented", []string{"A", "B", "C"}, []string{"a", "", "c"}, []string{"  ", "", " "}},
		{"first comment on second key", []string{"A", "B", "C"}, []string{"", "b", "c"}, []string{"", "  ", " "}},
		{"earlier key sorts after", []string{"B", "A", "C"}, []string{"", "a", "c"}, []string{"", "  ", " "}},
		{"found by sorting before", []string{"B", "A", "C"}, []string{"b", "", "c"}, []string{"  ", "", " "}},
		{"none sorts before", []string{"C", "B", "A", "D"}, []string{"", "", "a", "d"}, []string{"", "", "  ", " "}},
	} {
		n := &ynode{isMap: true, keys: tc.keys, comments: tc.comments}
		for i := range tc.keys {
			if tc.comments[i] == "" {
				continue
			}
			if got := commentGap(n, i); got != tc.want[i] {
				t.Errorf("%s: gap before %s = %q, want %q", tc.name, tc.keys[i], got, tc.want[i])
			}
		}
	}
}
