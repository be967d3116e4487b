package param

import (
	"slices"
	"testing"
)

func TestInvalidChoiceLayout(t *testing.T) {
	t.Parallel()
	got := InvalidChoice("--output", "xml", []string{"json", "text", "table"})
	want := "argument --output: Invalid choice, valid choices are:\n\n" +
		"json                                     | text                                    \n" +
		"table                                   "
	if got != want {
		t.Errorf("InvalidChoice =\n%q\nwant\n%q", got, want)
	}
	got = InvalidChoice("--output", "jsn", []string{"json", "text"})
	want = "argument --output: Invalid choice, valid choices are:\n\n" +
		"json                                     | text                                    \n\n\n" +
		"Invalid choice: 'jsn', maybe you meant:\n\n  * json"
	if got != want {
		t.Errorf("InvalidChoice with a suggestion =\n%q\nwant\n%q", got, want)
	}
}

// The expectations are Python 3.11's difflib.get_close_matches(word,
// commands, cutoff=0.8), as the aws CLI calls it.
func TestCloseMatches(t *testing.T) {
	t.Parallel()
	commands := []string{"create-token", "get-access-token", "list-tokens", "delete-token",
		"create-license", "get-license", "list-licenses", "delete-license", "list-received-licenses",
		"checkout-license", "check-in-license", "extend-license-consumption", "get-license-usage",
		"checkout-borrow-license", "list-license-versions", "create-license-version"}
	for word, want := range map[string][]string{
		"create-tokn":           {"create-token"},
		"get-licenses":          {"get-license", "get-license-usage", "list-licenses"},
		"list-license":          {"list-licenses"},
		"delete-licence":        {"delete-license"},
		"checkout":              {},
		"xyz":                   {},
		"list-licence-versions": {"list-license-versions"},
		"licenses":              {},
	} {
		if got := closeMatches(word, commands); !slices.Equal(got, want) {
			t.Errorf("closeMatches(%q) = %q, want %q", word, got, want)
		}
	}
}
