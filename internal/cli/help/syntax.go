package help

import (
	"strings"

	"github.com/license-manager/license-manager/internal/model"
)

// writeSyntax writes the examples of how an option's value is written: the
// words of a list of scalars, or the shorthand and JSON forms of a
// structure, a map or a list of them. Scalars need none.
func writeSyntax(b *strings.Builder, sh *model.Shape) {
	code := func(title string, lines []string) {
		writeLine(b, title+":", sectionIndent)
		b.WriteByte('\n')
		for _, l := range lines {
			if l == "" {
				b.WriteByte('\n')
				continue
			}
			writeLine(b, l, sectionIndent+step)
		}
		b.WriteByte('\n')
	}
	if sh.Type == "list" && !isComplex(sh.Member) {
		word := jsonValueName(sh.Member, false)
		lines := []string{word + " " + word + " ..."}
		if len(sh.Member.Enum) > 0 {
			lines = append(lines, "", "Where valid values are:")
			for _, e := range sh.Member.Enum {
				lines = append(lines, "    "+e)
			}
		}
		code("Syntax", lines)
		return
	}
	if !isComplex(sh) {
		return
	}
	if s, ok := shorthandExample(sh); ok && s != "" {
		code("Shorthand Syntax", strings.Split(s, "\n"))
	}
	var j strings.Builder
	jsonExample(&j, sh, 0, nil)
	code("JSON Syntax", strings.Split(j.String(), "\n"))
}

func isComplex(sh *model.Shape) bool {
	switch sh.Type {
	case "structure", "list", "map":
		return true
	}
	return false
}

// maxShorthandDepth is how deep a shorthand example may go before the
// option is deemed too complex to show one, as in the aws CLI.
const maxShorthandDepth = 3

// shorthandExample gives the shorthand form of an option's value, as
// "Name=string,Values=string,string ..." for a list of structures; it
// reports false when the value nests too deep to show.
func shorthandExample(sh *model.Shape) (string, bool) {
	var stack []string
	if sh.Type == "list" {
		s, ok := shorthandDoc(sh.Member, &stack)
		return s + " ...", ok
	}
	return shorthandDoc(sh, &stack)
}

func shorthandDoc(sh *model.Shape, stack *[]string) (string, bool) {
	if len(*stack) > maxShorthandDepth {
		return "", false
	}
	switch sh.Type {
	case "structure":
		var parts []string
		for _, m := range sh.Members {
			if count(*stack, m.Shape.Name) > 0 {
				parts = append(parts, m.Name+"=( ... recursive ... )")
				continue
			}
			*stack = append(*stack, m.Shape.Name)
			v, ok := shorthandDoc(m.Shape, stack)
			*stack = (*stack)[:len(*stack)-1]
			if !ok {
				return "", false
			}
			parts = append(parts, m.Name+"="+v)
		}
		inner := strings.Join(parts, ",")
		if len(*stack) == 0 {
			return inner, true
		}
		return "{" + inner + "}", true
	case "list":
		*stack = append(*stack, sh.Member.Name)
		elem, ok := shorthandDoc(sh.Member, stack)
		*stack = (*stack)[:len(*stack)-1]
		if !ok {
			return "", false
		}
		if isComplex(sh.Member) || len(*stack) > 1 {
			return "[" + elem + "," + elem + "]", true
		}
		return elem + "," + elem, true
	case "map":
		*stack = append(*stack, sh.Value.Name)
		v, ok := shorthandDoc(sh.Value, stack)
		*stack = (*stack)[:len(*stack)-1]
		if !ok {
			return "", false
		}
		s := "KeyName1=" + v + ",KeyName2=" + v
		if len(*stack) > 0 {
			return "{" + s + "}", true
		}
		return s, true
	}
	return sh.Type, true
}

// jsonValueName is how a scalar appears in a syntax example: "string", an
// enum's quoted values joined by "|", true|false, or the type name.
func jsonValueName(sh *model.Shape, withEnum bool) string {
	switch sh.Type {
	case "string":
		if withEnum && len(sh.Enum) > 0 {
			quoted := make([]string, len(sh.Enum))
			for i, e := range sh.Enum {
				quoted[i] = `"` + e + `"`
			}
			return strings.Join(quoted, "|")
		}
		return `"string"`
	case "boolean":
		return "true|false"
	}
	return sh.Type
}

// jsonExample writes the JSON form of a value, indenting nested lines by
// two spaces a level as the aws CLI's pages do.
func jsonExample(b *strings.Builder, sh *model.Shape, depth int, stack []string) {
	if count(stack, sh.Name) > 1 {
		if sh.Type == "structure" {
			b.WriteString("{ ... recursive ... }")
		}
		return
	}
	stack = append(stack, sh.Name)
	nl := func(d int) { b.WriteString("\n" + strings.Repeat("  ", d)) }
	switch sh.Type {
	case "list":
		b.WriteString("[")
		if !isComplex(sh.Member) {
			b.WriteString(jsonValueName(sh.Member, true) + ", ...]")
			return
		}
		nl(depth + 1)
		jsonExample(b, sh.Member, depth+1, stack)
		nl(depth + 1)
		b.WriteString("...")
		nl(depth)
		b.WriteString("]")
	case "map":
		b.WriteString("{" + jsonValueName(sh.Key, true) + ": ")
		if isComplex(sh.Value) {
			jsonExample(b, sh.Value, depth+1, stack)
		} else {
			b.WriteString(jsonValueName(sh.Value, true))
		}
		nl(depth + 1)
		b.WriteString("...")
		b.WriteString("}")
	case "structure":
		b.WriteString("{")
		for i, m := range sh.Members {
			nl(depth + 1)
			b.WriteString(`"` + m.Name + `": `)
			if isComplex(m.Shape) {
				jsonExample(b, m.Shape, depth+1, stack)
			} else {
				b.WriteString(jsonValueName(m.Shape, true))
			}
			if i < len(sh.Members)-1 {
				b.WriteString(",")
			}
		}
		nl(depth)
		b.WriteString("}")
	default:
		b.WriteString(jsonValueName(sh, true))
	}
}
