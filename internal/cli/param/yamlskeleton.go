package param

import (
	"regexp"
	"strings"

	"github.com/license-manager/license-manager/internal/model"
)

// docOverrides replaces the YAML skeleton comment of a few members, keyed
// by "Shape.Member". aws CLI v2.9.19, whose output our skeletons reproduce
// byte for byte, bundles an older License Manager model than ours, and its
// text differs for these members. Help pages use the current text.
var docOverrides = map[string]string{
	"Filter.Values": "Filter values.",
}

// ynode is a value of the YAML skeleton: a scalar (its text), a mapping
// with a comment per key, or a sequence.
type ynode struct {
	scalar   string
	keys     []string
	vals     []*ynode
	comments []string // per key; "" for none, else the text after "#"
	items    []*ynode
	isMap    bool
	isSeq    bool
}

// yamlSkeleton renders the yaml-input skeleton the way aws CLI v2 dumps it
// through ruamel.yaml: block style, mappings indented by two, sequences
// flush with their key, and after each member a comment of "[REQUIRED]"
// when it is required, the first sentence of its documentation and its
// valid values.
func yamlSkeleton(in *model.Shape) []byte {
	if in == nil {
		return []byte("{}\n")
	}
	root := yamlSample(in, nil)
	if !root.isMap || len(root.keys) == 0 {
		return []byte(root.render() + "\n")
	}
	var b strings.Builder
	writeMapping(&b, root, 0, false)
	return []byte(b.String())
}

func yamlSample(sh *model.Shape, stack []string) *ynode {
	stack = append(stack, sh.Name)
	switch sh.Type {
	case "structure":
		n := &ynode{isMap: true}
		if count(stack, sh.Name) > 1 {
			return n
		}
		for _, m := range sh.Members {
			n.keys = append(n.keys, m.Name)
			n.vals = append(n.vals, yamlSample(m.Shape, stack))
			n.comments = append(n.comments, memberComment(sh, m))
		}
		return n
	case "list":
		return &ynode{isSeq: true, items: []*ynode{yamlSample(sh.Member, stack)}}
	case "map":
		return &ynode{isMap: true, keys: []string{"KeyName"},
			vals: []*ynode{yamlSample(sh.Value, stack)}, comments: []string{""}}
	case "string":
		if len(sh.Enum) > 0 {
			return &ynode{scalar: yamlString(sh.Enum[0])}
		}
		return &ynode{scalar: "''"}
	case "integer", "long":
		return &ynode{scalar: "0"}
	case "float", "double":
		return &ynode{scalar: "0.0"}
	case "boolean":
		return &ynode{scalar: "true"}
	case "timestamp":
		return &ynode{scalar: "1970-01-01 00:00:00"}
	case "blob":
		return &ynode{scalar: "!!binary ''"}
	}
	return &ynode{scalar: "''"}
}

// memberComment builds the comment the aws CLI attaches to a member.
func memberComment(parent *model.Shape, m *model.Member) string {
	var parts []string
	if parent.IsRequired(m.Name) {
		parts = append(parts, "[REQUIRED]")
	}
	overview, ok := docOverrides[parent.Name+"."+m.Name]
	if !ok {
		overview = model.DocOverview(m.Doc())
	}
	parts = append(parts, overview)
	if len(m.Shape.Enum) > 0 {
		parts = append(parts, "Valid values are: "+strings.Join(m.Shape.Enum, ", ")+".")
	}
	c := strings.Join(parts, " ")
	if strings.TrimSpace(c) == "" {
		return ""
	}
	return c
}

// commentGap is the space before a member's "#". ruamel.yaml aligns a new
// end-of-line comment with one already set on the key before it (or, failing
// that, on an earlier key that sorts before it); with none to align to, the
// comment is written with an extra leading space. As every comment sits at
// column 0, that gives one space after an earlier comment and two for the
// first comment of a mapping.
func commentGap(n *ynode, i int) string {
	if i > 0 && n.comments[i-1] != "" {
		return " "
	}
	for j := 0; j < i; j++ {
		if n.keys[j] >= n.keys[i] {
			break
		}
		if n.comments[j] != "" {
			return " "
		}
	}
	return "  "
}

// render returns a scalar or empty collection in flow style.
func (n *ynode) render() string {
	switch {
	case n.isMap:
		return "{}"
	case n.isSeq:
		return "[]"
	}
	return n.scalar
}

func (n *ynode) isBlock() bool {
	return (n.isMap && len(n.keys) > 0) || (n.isSeq && len(n.items) > 0)
}

// writeMapping writes the members of n at indent. When inItem is set the
// first key goes on the current line, after a sequence's "- ".
func writeMapping(b *strings.Builder, n *ynode, indent int, inItem bool) {
	pad := strings.Repeat(" ", indent)
	for i, k := range n.keys {
		if i > 0 || !inItem {
			b.WriteString(pad)
		}
		v := n.vals[i]
		b.WriteString(yamlString(k) + ":")
		if !v.isBlock() {
			b.WriteString(" " + v.render())
		}
		if c := n.comments[i]; c != "" {
			b.WriteString(commentGap(n, i) + "# " + c)
		}
		b.WriteByte('\n')
		switch {
		case v.isMap && v.isBlock():
			writeMapping(b, v, indent+2, false)
		case v.isSeq && v.isBlock():
			writeSequence(b, v, indent, false)
		}
	}
}

// writeSequence writes the items of n at indent, each after "- ".
func writeSequence(b *strings.Builder, n *ynode, indent int, inItem bool) {
	pad := strings.Repeat(" ", indent)
	for i, item := range n.items {
		if i > 0 || !inItem {
			b.WriteString(pad)
		}
		b.WriteString("- ")
		switch {
		case item.isMap && item.isBlock():
			writeMapping(b, item, indent+2, true)
		case item.isSeq && item.isBlock():
			writeSequence(b, item, indent+2, true)
		default:
			b.WriteString(item.render() + "\n")
		}
	}
}

// yamlPlainUnsafe matches strings that YAML would read as something other
// than the same string if written plain.
var yamlPlainUnsafe = regexp.MustCompile(`^$|^[\s\-?:,\[\]{}#&*!|>'"%@` + "`" + `]|\s$|: | #|[^\x20-\x7e]|` +
	`^(?i:true|false|yes|no|on|off|null|~|y|n)$|^[-+]?(\.?[0-9]|\.(inf|nan))`)

// yamlString writes a string plain when that reads back as the same
// string, and single-quoted otherwise.
func yamlString(s string) string {
	if !yamlPlainUnsafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
