package help

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/license-manager/license-manager/internal/model"
)

// pageWidth is the widest a line of running text may be: the aws CLI's man
// pages, rendered for an 80-column terminal, stop at 78.
const pageWidth = 78

// block is a paragraph of documentation, or an item of a bulleted list.
type block struct {
	text   string
	bullet bool
}

// docBlocks splits an HTML documentation string from the model into
// paragraphs and list items of plain text. Markup that is not well formed is
// read as one paragraph of its text.
func docBlocks(doc string) []block {
	dec := xml.NewDecoder(strings.NewReader("<doc>" + doc + "</doc>"))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity

	var blocks []block
	var cur strings.Builder
	bullet, inItem := false, 0
	flush := func() {
		if text := strings.Join(strings.Fields(cur.String()), " "); text != "" {
			blocks = append(blocks, block{text: text, bullet: bullet})
		}
		cur.Reset()
		bullet = false
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if text := model.PlainText(doc); text != "" {
				return []block{{text: text}}
			}
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "li":
				flush()
				bullet, inItem = true, inItem+1
			case "p", "ul", "ol", "br":
				if inItem == 0 {
					flush()
				}
			case "note", "important":
				flush()
				blocks = append(blocks, block{text: "Note:"})
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "li":
				flush()
				inItem--
			case "p", "ul", "ol", "note", "important":
				if inItem == 0 {
					flush()
				}
			}
		case xml.CharData:
			cur.Write(t)
		}
	}
	flush()
	return blocks
}

// writeDoc writes documentation at indent: paragraphs wrapped to the page,
// list items as "o " with the text hanging under the first word, and an
// empty line after each. It reports whether there was anything to write.
func writeDoc(b *strings.Builder, doc string, indent int) bool {
	blocks := docBlocks(doc)
	for _, bl := range blocks {
		if bl.bullet {
			writeWrapped(b, "o "+bl.text, indent, indent+2)
		} else {
			writeWrapped(b, bl.text, indent, indent)
		}
		b.WriteByte('\n')
	}
	return len(blocks) > 0
}

// writeWrapped writes text word by word, breaking lines before pageWidth;
// the first line starts at first, the others at rest. A word longer than a
// line gets a line of its own.
func writeWrapped(b *strings.Builder, text string, first, rest int) {
	indent := first
	line := 0
	for _, w := range strings.Fields(text) {
		switch {
		case line == 0:
			b.WriteString(strings.Repeat(" ", indent) + w)
			line = indent + len([]rune(w))
		case line+1+len([]rune(w)) > pageWidth:
			b.WriteByte('\n')
			indent = rest
			b.WriteString(strings.Repeat(" ", indent) + w)
			line = indent + len([]rune(w))
		default:
			b.WriteString(" " + w)
			line += 1 + len([]rune(w))
		}
	}
	if line > 0 {
		b.WriteByte('\n')
	}
}

// writeLine writes one line at indent, unwrapped: code and syntax examples.
func writeLine(b *strings.Builder, text string, indent int) {
	b.WriteString(strings.Repeat(" ", indent) + text + "\n")
}
