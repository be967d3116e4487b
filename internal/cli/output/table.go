package output

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"golang.org/x/text/width"

	"github.com/license-manager/license-manager/internal/cli/jsondoc"
)

// The table format, laid out as awscli/table.py and the table formatter of
// awscli/formatter.py do: a title row with the operation name, then one
// section per object or list, nested sections indented by a "|" on each
// side. An object's scalar members become a header row over one value row
// (a lone scalar member becomes a key/value row); a list of objects shares
// one header row, repeated per element when elements hold nested
// collections. When the table is wider than the terminal, every section
// with a single value row is turned into key/value rows.
//
// https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html#table-output

// ANSI sequences of the colorama styles the aws CLI uses on a terminal.
const (
	ansiReset     = "\x1b[0m"
	ansiRowStyle  = "\x1b[1m\x1b[34m" // bright blue
	ansiEdgeStyle = "\x1b[2m\x1b[33m" // dim yellow
)

// section is one block of the table: an optional title, an optional header
// row and value rows, all cells already converted to text.
type section struct {
	title       string
	hasTitle    bool // Python's None title still counts 4 characters ("None") in widths
	headers     []string
	rows        [][]string
	indentLevel int
	numCols     int // -1 until the first header or row fixes it
	maxWidths   []int
}

func newSection() *section { return &section{numCols: -1} }

func (s *section) titleLen() int {
	if !s.hasTitle {
		return textWidth("None")
	}
	return textWidth(s.title)
}

func (s *section) addHeader(headers []string) {
	s.updateMaxWidths(headers)
	if s.numCols < 0 {
		s.numCols = len(headers)
	}
	s.headers = headers
}

func (s *section) addRow(cells []any) error {
	if s.numCols < 0 {
		s.numCols = len(cells)
	}
	if len(cells) != s.numCols {
		return fmt.Errorf("render table: row should have %d elements, instead it has %d", s.numCols, len(cells))
	}
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = pyStr(c)
	}
	s.rows = append(s.rows, row)
	s.updateMaxWidths(row)
	return nil
}

func (s *section) updateMaxWidths(row []string) {
	if len(s.maxWidths) == 0 {
		s.maxWidths = make([]int, len(row))
		for i, c := range row {
			s.maxWidths[i] = textWidth(c)
		}
		return
	}
	for i, c := range row {
		if i < len(s.maxWidths) {
			s.maxWidths[i] = max(s.maxWidths[i], textWidth(c))
		}
	}
}

// columnWidths scales the padded natural widths of the columns so that they
// add up to total exactly, rounding half to even as Python's round() does
// and then taking the rounding error off the first columns (or giving it to
// the last ones).
func (s *section) columnWidths(padding, total int) []int {
	if len(s.maxWidths) == 0 {
		return nil
	}
	sum := 0
	for _, w := range s.maxWidths {
		sum += w + padding
	}
	scale := float64(total) / float64(sum)
	scaled := make([]int, len(s.maxWidths))
	off := -total
	for i, w := range s.maxWidths {
		scaled[i] = int(math.RoundToEven(scale * float64(w+padding)))
		off += scaled[i]
	}
	for off != 0 {
		if off > 0 {
			for i := 0; i < len(scaled) && off != 0; i++ {
				scaled[i]--
				off--
			}
		} else {
			for i := len(scaled) - 1; i >= 0 && off != 0; i-- {
				scaled[i]++
				off++
			}
		}
	}
	return scaled
}

// totalWidth is the width the section needs with 4 columns of padding per
// cell, its borders and its indentation.
func (s *section) totalWidth() int {
	const padding, border = 4, 2
	total := border + 2*s.indentLevel
	for _, w := range s.maxWidths {
		total += w + padding
	}
	return max(s.titleLen()+border+2*s.indentLevel, total)
}

// table collects sections the way the aws CLI's MultiTable does.
type table struct {
	sections []*section
	current  *section
}

func (t *table) newSection(title string, hasTitle bool, indent int) {
	s := newSection()
	s.title, s.hasTitle, s.indentLevel = title, hasTitle, indent
	t.sections = append(t.sections, s)
	t.current = s
}

// build adds v under title and reports whether there was anything to show;
// Python's truth test decides, so empty collections, "", 0, false and null
// add nothing.
func (t *table) build(title string, hasTitle bool, v any, indent int) (bool, error) {
	if isFalsy(v) {
		return false, nil
	}
	if hasTitle {
		t.newSection(title, true, indent)
	}
	if t.current == nil {
		return false, fmt.Errorf("render table: no section to add a row to")
	}
	switch v := v.(type) {
	case []any:
		if _, ok := v[0].(*jsondoc.Object); ok {
			return true, t.buildFromList(v, indent, title, hasTitle)
		}
		for _, item := range v {
			switch item := item.(type) {
			case *jsondoc.Object:
				// An object here gives a row of its keys, as iterating a
				// Python dict does.
				cells := make([]any, 0, item.Len())
				for _, k := range item.Keys() {
					cells = append(cells, k)
				}
				if err := t.current.addRow(cells); err != nil {
					return false, err
				}
			case []any:
				if slices.IndexFunc(item, func(e any) bool { return !isScalar(e) }) < 0 {
					if err := t.current.addRow(item); err != nil {
						return false, err
					}
				} else if _, err := t.build("", false, item, 0); err != nil {
					return false, err
				}
			default:
				if err := t.current.addRow([]any{item}); err != nil {
					return false, err
				}
			}
		}
	case *jsondoc.Object:
		if err := t.buildFromObject(v, indent); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (t *table) buildFromObject(obj *jsondoc.Object, indent int) error {
	headers, more := groupScalarKeys(obj)
	switch {
	case len(headers) == 1:
		v, _ := obj.Get(headers[0])
		if err := t.current.addRow([]any{headers[0], v}); err != nil {
			return err
		}
	case len(headers) > 1:
		t.current.addHeader(headers)
		cells := make([]any, len(headers))
		for i, h := range headers {
			cells[i], _ = obj.Get(h)
		}
		if err := t.current.addRow(cells); err != nil {
			return err
		}
	}
	for _, k := range more {
		v, _ := obj.Get(k)
		if _, err := t.build(k, true, v, indent+1); err != nil {
			return err
		}
	}
	return nil
}

func (t *table) buildFromList(list []any, indent int, title string, hasTitle bool) error {
	var headers, more []string
	others := false
	for _, e := range list {
		obj, ok := e.(*jsondoc.Object)
		if !ok {
			// The aws CLI looks its keys up as if it were a dict, which only
			// survives an empty string or list.
			if s, isStr := e.(string); !(isStr && s == "") && !isEmptyList(e) {
				return fmt.Errorf("render table: a list mixes objects with other values")
			}
			others = true
			continue
		}
		h, m := groupScalarKeys(obj)
		headers, more = union(headers, h), union(more, m)
	}
	if others && len(headers) > 0 {
		return fmt.Errorf("render table: a list mixes objects with other values")
	}
	t.current.addHeader(headers)
	for i, e := range list {
		if i > 0 && len(more) > 0 {
			t.newSection(title, hasTitle, indent)
			t.current.addHeader(headers)
		}
		obj, ok := e.(*jsondoc.Object)
		if !ok {
			if err := t.current.addRow([]any{}); err != nil {
				return err
			}
			continue
		}
		cells := make([]any, len(headers))
		for j, h := range headers {
			v, ok := obj.Get(h)
			if !ok {
				v = ""
			}
			cells[j] = v
		}
		if err := t.current.addRow(cells); err != nil {
			return err
		}
		for _, k := range more {
			if v, ok := obj.Get(k); ok {
				if _, err := t.build(k, true, v, indent+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// groupScalarKeys splits the keys of obj into those holding scalars and
// those holding collections, each sorted.
func groupScalarKeys(obj *jsondoc.Object) (scalars, collections []string) {
	scalars, collections = []string{}, []string{}
	for _, k := range sortedKeys(obj) {
		if v, _ := obj.Get(k); isScalar(v) {
			scalars = append(scalars, k)
		} else {
			collections = append(collections, k)
		}
	}
	return scalars, collections
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	if out == nil {
		out = []string{}
	}
	for _, k := range b {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// tableWriter writes the rendered table. With color on, every write is
// followed by a reset sequence, as colorama's auto-reset wrapper around
// stdout does in the aws CLI; the byte stream then matches it exactly.
type tableWriter struct {
	b     *strings.Builder
	color bool
}

func (w *tableWriter) write(s string) {
	w.b.WriteString(s)
	if w.color {
		w.b.WriteString(ansiReset)
	}
}

// writeIndented writes one line of a section indented by level edge
// characters on each side.
func (w *tableWriter) writeIndented(level int, line string) {
	edge := "|"
	if w.color {
		edge = ansiEdgeStyle + "|" + ansiReset
	}
	edges := strings.Repeat(edge, level)
	w.write(edges)
	w.write(strings.TrimSuffix(line, "\n"))
	w.write(edges)
	w.write("\n")
}

func (w *tableWriter) styleRow(s string) string {
	if w.color {
		return ansiRowStyle + s + ansiReset
	}
	return s
}

func (t *table) render(w *tableWriter, terminalWidth int) {
	maxWidth := t.maxWidth()
	if maxWidth > terminalWidth {
		t.verticalize()
		maxWidth = t.maxWidth()
	}
	w.write(strings.Repeat("-", maxWidth) + "\n")
	for _, s := range t.sections {
		t.renderSection(w, s, maxWidth-2*s.indentLevel)
	}
}

func (t *table) maxWidth() int {
	m := 0
	for _, s := range t.sections {
		m = max(m, s.totalWidth())
	}
	return m
}

// verticalize turns every section with a header row and a single value
// row into key/value rows, which fit a narrow terminal better.
func (t *table) verticalize() {
	for i, s := range t.sections {
		if len(s.rows) != 1 || len(s.headers) == 0 {
			continue
		}
		ns := newSection()
		ns.title, ns.hasTitle, ns.indentLevel = s.title, s.hasTitle, s.indentLevel
		for j, h := range s.headers {
			if j >= len(s.rows[0]) {
				break
			}
			// Cells are text already; two cells always fit two columns.
			_ = ns.addRow([]any{h, s.rows[0][j]})
		}
		t.sections[i] = ns
	}
}

func (t *table) renderSection(w *tableWriter, s *section, width int) {
	if s.hasTitle && s.title != "" {
		w.writeIndented(s.indentLevel, centerText(s.title, width, "|", "|")+"\n")
		if len(s.headers) == 0 && len(s.rows) == 0 {
			w.writeIndented(s.indentLevel, "+"+strings.Repeat("-", width-2)+"+\n")
		}
	}
	if len(s.headers) > 0 {
		widths := s.columnWidths(4, width)
		var line strings.Builder
		for i, h := range s.headers {
			if i >= len(widths) {
				break
			}
			left := ""
			if i == 0 {
				left = "|"
			}
			line.WriteString(centerText(h, widths[i], left, "|"))
		}
		w.writeIndented(s.indentLevel, lineBreak(widths))
		w.writeIndented(s.indentLevel, line.String()+"\n")
	}
	if len(s.rows) == 0 {
		return
	}
	widths := s.columnWidths(4, width)
	if len(widths) == 0 {
		return
	}
	w.writeIndented(s.indentLevel, lineBreak(widths))
	for _, row := range s.rows {
		var line strings.Builder
		for i, cell := range row {
			if i >= len(widths) {
				break
			}
			left := ""
			if i == 0 {
				left = "|"
			}
			line.WriteString(alignLeft(w.styleRow(cell), textWidth(cell), widths[i], left, "|"))
		}
		w.writeIndented(s.indentLevel, line.String()+"\n")
	}
	w.writeIndented(s.indentLevel, lineBreak(widths))
}

// lineBreak is a horizontal rule such as +-------+---------+.
func lineBreak(widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + spaces(w-2, '-') + "+")
		} else {
			b.WriteString(spaces(w-1, '-') + "+")
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// centerText centers text between the edges in length columns. The
// arithmetic is the aws CLI's, including its off-by-one for odd widths.
func centerText(text string, length int, left, right string) string {
	textLen := textWidth(text)
	start := length/2 - textLen/2 - 1
	soFar := textWidth(left) + start + textLen
	return left + spaces(start, ' ') + text + spaces(length-textWidth(right)-soFar, ' ') + right
}

// alignLeft places text two columns in from the left edge (no padding if
// it would not fit) and pads to length columns. textLen is the width of
// text without any color sequences.
func alignLeft(text string, textLen, length int, left, right string) string {
	padding := 2
	if length-(textLen+2+textWidth(left)+textWidth(right)) < 0 {
		padding = 0
	}
	soFar := len(left) + padding + textLen
	return left + spaces(padding, ' ') + text + spaces(length-soFar-len(right), ' ') + right
}

// spaces repeats c n times; like Python's string repetition, a negative
// count gives nothing.
func spaces(n int, c byte) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(string(c), n)
}

// textWidth counts terminal columns as the aws CLI does: two for every
// character whose East Asian Width is Wide, Fullwidth or Ambiguous, one for
// any other.
//
// https://www.unicode.org/reports/tr11/
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			n += 2
		default:
			n++
		}
	}
	return n
}

func isEmptyList(v any) bool {
	l, ok := v.([]any)
	return ok && len(l) == 0
}
