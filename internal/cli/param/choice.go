package param

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/license-manager/license-manager/internal/cli/python"
)

// InvalidChoice is the aws CLI's message for an argument whose value is not
// one of choices: the choices in the order given, two to a line, each
// padded to 40 columns, and then, when some are close to value, up to three
// of them as suggestions. "Close" is Python's difflib.get_close_matches
// with the cutoff the aws CLI gives it, 0.8.
func InvalidChoice(arg, value string, choices []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "argument %s: Invalid choice, valid choices are:\n", arg)
	for i := 0; i < len(choices); i += 2 {
		fmt.Fprintf(&b, "\n%-40s", choices[i])
		if i+1 < len(choices) {
			fmt.Fprintf(&b, " | %-40s", choices[i+1])
		}
	}
	if close := closeMatches(value, choices); len(close) > 0 {
		fmt.Fprintf(&b, "\n\n\nInvalid choice: %s, maybe you meant:\n", python.StrRepr(value))
		for _, c := range close {
			b.WriteString("\n  * " + c)
		}
	}
	return b.String()
}

// closeMatches returns up to three of choices whose similarity ratio to
// word is at least 0.8, best first (ties: the later in Python's string
// order first), as difflib.get_close_matches(word, choices, cutoff=0.8)
// does.
func closeMatches(word string, choices []string) []string {
	type scored struct {
		ratio float64
		s     string
	}
	var found []scored
	m := difflib.NewMatcherWithJunk(nil, chars(word), false, nil)
	for _, c := range choices {
		m.SetSeq1(chars(c))
		if m.RealQuickRatio() >= 0.8 && m.QuickRatio() >= 0.8 {
			if r := m.Ratio(); r >= 0.8 {
				found = append(found, scored{r, c})
			}
		}
	}
	slices.SortFunc(found, func(a, b scored) int {
		if c := cmp.Compare(b.ratio, a.ratio); c != 0 {
			return c
		}
		return strings.Compare(b.s, a.s)
	})
	out := make([]string, 0, 3)
	for i := 0; i < len(found) && i < 3; i++ {
		out = append(out, found[i].s)
	}
	return out
}

func chars(s string) []string {
	out := make([]string, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}
