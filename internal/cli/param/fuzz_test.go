package param

import (
	"errors"
	"strings"
	"testing"

	"github.com/license-manager/license-manager/internal/model"
)

// FuzzParse feeds arbitrary command lines (arguments separated by NUL) to
// the operations with the most varied inputs: Parse must return a request
// or an *Error, never panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"--filters\x00Name=a,Values=[b,c]",
		"--cli-input-yaml\x00a: &x [1]\nb: *x\n<<: {c: 1}",
		"--cli-input-json\x00{\"Filters\":[{\"Name\":null}]}",
		"--entitlements\x00Name=a,Unit=Count,MaxCount=1_0\x00--issuer\x00{\"Name\":1}",
		"--max\x00-1\x00help\x00--generate-cli-skeleton",
		"--consumption-configuration\x00ProvisionalConfiguration={MaxTimeToLiveInMinutes=x}",
	} {
		f.Add(s)
	}
	ops := []*model.Operation{
		model.LicenseManager().Operation("ListTokens"),
		model.LicenseManager().Operation("CreateLicense"),
		model.STS().Operation("AssumeRoleWithWebIdentity"),
	}
	env := Env{ReadFile: func(string) ([]byte, error) { return []byte("x"), nil }}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		for _, op := range ops {
			req, err := Parse(op, args, env)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) && !errors.Is(err, ErrHelp) {
					t.Fatalf("Parse(%q) error %T is not an *Error: %v", args, err, err)
				}
				continue
			}
			if req.Params == nil {
				t.Fatalf("Parse(%q) returned no parameters", args)
			}
		}
	})
}
