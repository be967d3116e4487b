package auth

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/license-manager/license-manager/internal/arn"
)

// The keys of a profile in a credentials file. Every profile needs all
// three; no other key is accepted.
const (
	keyAccessKeyID     = "aws_access_key_id"
	keySecretAccessKey = "aws_secret_access_key"
	keyAccountID       = "aws_account_id"
)

// DefaultProfile is the profile of the key the server creates when it has
// no credentials file.
const DefaultProfile = "license-manager"

// Key is a long-term access key from a credentials file: a profile with
// the key's id, its secret and the account it acts for.
type Key struct {
	Profile         string
	AccessKeyID     string
	SecretAccessKey string
	AccountID       string
}

// String names the key without its secret.
func (k Key) String() string {
	return fmt.Sprintf("%s (profile %s, account %s)", k.AccessKeyID, k.Profile, k.AccountID)
}

// Keys are the long-term access keys of a credentials file, by access key
// id.
type Keys struct {
	byID map[string]Key
}

// Lookup returns the key with the access key id.
func (k *Keys) Lookup(accessKeyID string) (Key, bool) {
	if k == nil {
		return Key{}, false
	}
	key, ok := k.byID[accessKeyID]
	return key, ok
}

// Len returns the number of keys.
func (k *Keys) Len() int {
	if k == nil {
		return 0
	}
	return len(k.byID)
}

// NewKeys returns the keys, refusing two with the same access key id.
func NewKeys(keys ...Key) (*Keys, error) {
	ks := &Keys{byID: make(map[string]Key, len(keys))}
	for _, k := range keys {
		if _, dup := ks.byID[k.AccessKeyID]; dup {
			return nil, fmt.Errorf("access key %s appears twice", k.AccessKeyID)
		}
		ks.byID[k.AccessKeyID] = k
	}
	return ks, nil
}

var (
	// accessKeyIDRE is IAM's access key id: 16 to 128 word characters. Keys
	// in a credentials file are upper-case letters and digits, as AWS's are.
	accessKeyIDRE = regexp.MustCompile(`^[A-Z0-9]{16,128}$`)
	// profileRE is an IAM user name, since the profile names the user in
	// the caller's ARN (arn:aws:iam::ACCOUNT:user/PROFILE).
	profileRE = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
)

// secretOK reports whether a secret is one every client reads the same way
// from a credentials file: printable ASCII without spaces, quotes,
// backslashes or comment characters, which INI readers treat differently.
func secretOK(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"'`\\#;", c) >= 0 {
			return false
		}
	}
	return true
}

// ParseKeys reads a credentials file in the aws shared-credentials format:
//
//	# comment
//	[profile-name]
//	aws_access_key_id = AKIA...
//	aws_secret_access_key = ...
//	aws_account_id = 123456789012
//
// name is the file's name for error messages. The reading is strict, and
// every error names the line: a key outside a profile, a profile or key
// given twice, an unknown key (aws_session_token among them: temporary
// credentials come from STS), a missing key, a malformed value, a
// continuation line, or an access key id used by two profiles. Values are
// taken literally, as the aws CLI's reader takes them (no quotes, no
// comments after a value), and a value that readers could disagree on is
// refused rather than guessed at.
//
// The file is parsed here instead of with an INI library because the one in
// the module graph (gopkg.in/ini.v1) silently merges a profile given twice,
// lets the last of two equal keys win, accepts keys outside any profile,
// strips quotes and trailing comments that the aws CLI keeps, and reports
// no line numbers: for the file that decides who may call the server, each
// of those could hide a mistake.
func ParseKeys(name string, data []byte) (*Keys, error) {
	type profile struct {
		Key
		line int
		seen map[string]int // key -> line
	}
	var profiles []*profile
	byName := map[string]int{} // profile -> line
	var cur *profile
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...)))
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		data = append(data, '\n')
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimSuffix(raw, "\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';':
			continue
		case line[0] == ' ' || line[0] == '\t':
			fail(n, "an indented line continues a value in INI files; the credentials file allows no continuation lines: remove the indentation")
			continue
		case trimmed[0] == '[':
			if !strings.HasSuffix(trimmed, "]") {
				fail(n, "a profile header must be [name]")
				cur = nil
				continue
			}
			pname := strings.TrimSpace(trimmed[1 : len(trimmed)-1])
			if strings.HasPrefix(pname, "profile ") {
				fail(n, "profile %q: the credentials file names profiles without the \"profile \" prefix of the config file", pname)
			} else if !profileRE.MatchString(pname) {
				fail(n, "profile %q: want 1 to 64 letters, digits or +=,.@_- (the name is the caller's IAM user name)", pname)
			}
			if first, dup := byName[pname]; dup {
				fail(n, "profile [%s] appears twice (first on line %d)", pname, first)
			}
			byName[pname] = n
			cur = &profile{Key: Key{Profile: pname}, line: n, seen: map[string]int{}}
			profiles = append(profiles, cur)
			continue
		}
		key, value, ok := cutDelimiter(trimmed)
		if !ok {
			fail(n, "want key = value, a [profile] header or a comment")
			continue
		}
		key = strings.ToLower(key)
		if cur == nil {
			fail(n, "%s is outside any profile; put a [profile] header above it", key)
			continue
		}
		if first, dup := cur.seen[key]; dup {
			fail(n, "%s appears twice in profile [%s] (first on line %d)", key, cur.Profile, first)
			continue
		}
		cur.seen[key] = n
		switch key {
		case keyAccessKeyID:
			if !accessKeyIDRE.MatchString(value) {
				fail(n, "%s: want 16 to 128 upper-case letters and digits", key)
			} else if strings.HasPrefix(value, TemporaryKeyPrefix) {
				fail(n, "%s: ids starting with %s are for temporary credentials from STS", key, TemporaryKeyPrefix)
			}
			cur.AccessKeyID = value
		case keySecretAccessKey:
			if !secretOK(value) {
				fail(n, "%s: want printable ASCII without spaces, quotes, backslashes, # or ;", key)
			}
			cur.SecretAccessKey = value
		case keyAccountID:
			if !arn.IsAccountID(value) {
				fail(n, "%s %q: want 12 digits", key, value)
			}
			cur.AccountID = value
		case "aws_session_token", "aws_security_token":
			fail(n, "%s: the server's keys are long-term keys; temporary credentials come from STS", key)
		default:
			fail(n, "unknown key %s; a profile has %s, %s and %s", key, keyAccessKeyID, keySecretAccessKey, keyAccountID)
		}
	}
	idLine := map[string]int{}
	var keys []Key
	for _, p := range profiles {
		for _, k := range []string{keyAccessKeyID, keySecretAccessKey, keyAccountID} {
			if _, ok := p.seen[k]; !ok {
				fail(p.line, "profile [%s] has no %s", p.Profile, k)
			}
		}
		if l, ok := p.seen[keyAccessKeyID]; ok && p.AccessKeyID != "" {
			if first, dup := idLine[p.AccessKeyID]; dup {
				fail(l, "access key %s is also in the profile on line %d; each key belongs to one profile", p.AccessKeyID, first)
			}
			idLine[p.AccessKeyID] = l
		}
		keys = append(keys, p.Key)
	}
	if len(profiles) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s: no profile: the file must hold at least one key", name))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return NewKeys(keys...)
}

// cutDelimiter splits "key = value" (or "key: value", as INI readers also
// accept) at the first delimiter.
func cutDelimiter(s string) (key, value string, ok bool) {
	i := strings.IndexAny(s, "=:")
	if i <= 0 {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:]), true
}

// LoadKeys reads and parses the credentials file at path.
func LoadKeys(path string) (*Keys, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read credentials file: %w", err)
	}
	return ParseKeys(path, data)
}

// CreateDefaultKeys writes a credentials file with one new key for account
// under profile DefaultProfile at path, mode 0600, unless a file is there
// already. It reports whether it created the file. Processes racing to
// create it agree on one file: it is written under a temporary name and
// linked into place, which fails for all but the first.
func CreateDefaultKeys(path, account string) (bool, error) {
	if _, err := os.Lstat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("credentials file: %w", err)
	}
	key, err := NewLongTermKey(DefaultProfile, account)
	if err != nil {
		return false, err
	}
	content := "# Access keys of this license-manager server, in the aws shared-credentials format.\n" +
		"# Each profile is one key; aws_account_id is the account the key acts for.\n" +
		"# Clients can use this file as it is:\n" +
		"#   AWS_SHARED_CREDENTIALS_FILE=" + path + " AWS_PROFILE=" + DefaultProfile + " aws ...\n" +
		"# The server reads it when it starts.\n" +
		"\n" + formatKey(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, fmt.Errorf("create credentials file: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".credentials-*")
	if err != nil {
		return false, fmt.Errorf("create credentials file: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(content)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return false, fmt.Errorf("create credentials file: %w", werr)
	}
	// CreateTemp made the file 0600. Link fails if another process won.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("create credentials file: %w", err)
	}
	return true, nil
}

// formatKey returns the profile section of key.
func formatKey(k Key) string {
	return "[" + k.Profile + "]\n" +
		keyAccessKeyID + " = " + k.AccessKeyID + "\n" +
		keySecretAccessKey + " = " + k.SecretAccessKey + "\n" +
		keyAccountID + " = " + k.AccountID + "\n"
}

// Prefixes of access key ids, as AWS uses them: long-term user keys and the
// keys of temporary credentials.
const (
	LongTermKeyPrefix  = "AKIA"
	TemporaryKeyPrefix = "ASIA"
)

// NewLongTermKey returns a new random key for account under profile:
// "AKIA" and 16 upper-case base32 characters, and a 40-character secret.
func NewLongTermKey(profile, account string) (Key, error) {
	id, secret, err := newKeyPair(LongTermKeyPrefix)
	if err != nil {
		return Key{}, err
	}
	return Key{Profile: profile, AccessKeyID: id, SecretAccessKey: secret, AccountID: account}, nil
}

// newKeyPair returns an access key id (prefix and 16 upper-case base32
// characters, 80 random bits) and a secret of 40 base64 characters (240
// random bits).
func newKeyPair(prefix string) (id, secret string, err error) {
	var b [10 + 30]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("generate access key: %w", err)
	}
	return prefix + base32.StdEncoding.EncodeToString(b[:10]), base64.StdEncoding.EncodeToString(b[10:]), nil
}
