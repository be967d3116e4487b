package param

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"syscall"
	"unicode/utf8"
)

const (
	filePrefix       = "file://"
	binaryFilePrefix = "fileb://"
)

// unpacker turns option values into document values; it holds the
// environment that file:// values are read from.
type unpacker struct {
	env Env
}

// paramFile loads a file:// or fileb:// value. It reports whether v named a
// file at all; a value without either prefix is used as it stands. file://
// contents are text, decoded as UTF-8 whatever the locale; fileb:// contents
// of a blob parameter are returned base64-encoded, as the JSON protocol
// carries blobs, and read as text anywhere else.
//
// See https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-parameters-file.html
func (u unpacker) paramFile(cliName, v string, blob bool) (string, bool, error) {
	var path string
	binary := false
	switch {
	case strings.HasPrefix(v, filePrefix):
		path = v[len(filePrefix):]
	case strings.HasPrefix(v, binaryFilePrefix):
		path, binary = v[len(binaryFilePrefix):], true
	default:
		return v, false, nil
	}
	path = expandVars(expandUser(path, u.env), u.env)
	data, err := u.env.readFile(path)
	if err != nil {
		msg := fmt.Sprintf("Unable to load paramfile %s: %s: '%s'", v, describeFileError(err), path)
		return "", true, paramError(cliName, msg)
	}
	if binary && blob {
		return base64.StdEncoding.EncodeToString(data), true, nil
	}
	text, err := decodeText(data)
	if err != nil {
		return "", true, paramError(cliName, fmt.Sprintf("Unable to load paramfile %s: %v", v, err))
	}
	return text, true, nil
}

// describeFileError says in words why a file could not be read, without
// the operation and path that the caller prints itself. An error from the
// system reads as Python's OSError prints it: "[Errno 2] No such file or
// directory".
func describeFileError(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) && errno != 0 {
		msg := errno.Error()
		return fmt.Sprintf("[Errno %d] %s", int(errno), strings.ToUpper(msg[:1])+msg[1:])
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "No such file or directory"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// byteOrderMarks are checked longest first: the UTF-32LE mark begins with
// the UTF-16LE one.
var byteOrderMarks = []struct {
	mark     []byte
	encoding string
}{
	{[]byte{0x00, 0x00, 0xFE, 0xFF}, "UTF-32BE"},
	{[]byte{0xFF, 0xFE, 0x00, 0x00}, "UTF-32LE"},
	{[]byte{0xFE, 0xFF}, "UTF-16BE"},
	{[]byte{0xFF, 0xFE}, "UTF-16LE"},
}

// decodeText reads file contents as UTF-8 text. A UTF-8 byte order mark is
// dropped. Text in UTF-16 or UTF-32, recognised by its byte order mark or,
// without one, by the zero bytes its ASCII characters carry (the detection
// RFC 4627 section 3 describes for JSON), is refused with its encoding
// named, as is anything else that is not UTF-8.
func decodeText(data []byte) (string, error) {
	for _, b := range byteOrderMarks {
		if bytes.HasPrefix(data, b.mark) {
			return "", fmt.Errorf("the file is encoded as %s (it starts with a %s byte order mark); "+
				"save it as UTF-8 and try again", b.encoding, b.encoding)
		}
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if enc := wideEncoding(data); enc != "" {
		return "", fmt.Errorf("the file appears to be encoded as %s; save it as UTF-8 and try again", enc)
	}
	if !utf8.Valid(data) {
		return "", errors.New("text contents could not be decoded as UTF-8. " +
			"If this is a binary file, use the fileb:// prefix instead of the file:// prefix")
	}
	return string(data), nil
}

// wideEncoding guesses UTF-16 or UTF-32 text without a byte order mark from
// the zero bytes around its first characters.
func wideEncoding(b []byte) string {
	switch {
	case len(b) >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0:
		return "UTF-32BE"
	case len(b) >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0:
		return "UTF-32LE"
	case len(b) >= 2 && b[0] == 0 && b[1] != 0:
		return "UTF-16BE"
	case len(b) >= 2 && b[0] != 0 && b[1] == 0:
		return "UTF-16LE"
	}
	return ""
}

// expandUser replaces a leading "~" (alone or before "/") with the home
// directory, as Python's os.path.expanduser does; "~user" is left alone.
func expandUser(path string, env Env) string {
	if path != "~" && !strings.HasPrefix(path, "~/") {
		return path
	}
	home, ok := env.lookupEnv("HOME")
	if !ok {
		return path
	}
	return home + path[1:]
}

var envVar = regexp.MustCompile(`\$(\w+|\{[^}]*\})`)

// expandVars replaces $NAME and ${NAME} with the variable's value, leaving
// unset variables as written, as Python's os.path.expandvars does.
func expandVars(path string, env Env) string {
	if !strings.Contains(path, "$") {
		return path
	}
	return envVar.ReplaceAllStringFunc(path, func(m string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(m[1:], "{"), "}")
		if v, ok := env.lookupEnv(name); ok {
			return v
		}
		return m
	})
}
