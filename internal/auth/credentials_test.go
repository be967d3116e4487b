package auth

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func TestParseKeys(t *testing.T) {
	data := `# keys of the server
; another comment

[license-manager]
aws_access_key_id = AKIAAAAAAAAAAAAAAAAA
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
aws_account_id = 123456789012

[tenant-b]
AWS_ACCESS_KEY_ID=AKIABBBBBBBBBBBBBBBB
aws_secret_access_key: example-secret
aws_account_id = 210987654321
`
	keys, err := ParseKeys("creds", []byte(strings.ReplaceAll(data, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if keys.Len() != 2 {
		t.Fatalf("Len = %d, want 2", keys.Len())
	}
	a, ok := keys.Lookup("AKIAAAAAAAAAAAAAAAAA")
	if !ok || a.Profile != "license-manager" || a.AccountID != "123456789012" || a.SecretAccessKey != "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" {
		t.Errorf("key A = %+v, %v", a, ok)
	}
	b, ok := keys.Lookup("AKIABBBBBBBBBBBBBBBB")
	if !ok || b.Profile != "tenant-b" || b.AccountID != "210987654321" || b.SecretAccessKey != "example-secret" {
		t.Errorf("key B = %+v, %v", b, ok)
	}
	if _, ok := keys.Lookup("AKIACCCCCCCCCCCCCCCC"); ok {
		t.Error("Lookup found a key that is not in the file")
	}
	if s := a.String(); strings.Contains(s, a.SecretAccessKey) {
		t.Errorf("Key.String() shows the secret: %s", s)
	}
}

func TestParseKeysErrors(t *testing.T) {
	const good = "aws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s3cret\naws_account_id = 123456789012\n"
	for _, tc := range []struct {
		name, data string
		want       []string // each error must name its line
	}{
		{"empty", "", []string{`f: no profile`}},
		{"only comments", "# nothing\n", []string{`f: no profile`}},
		{"key outside a profile", "aws_account_id = 123456789012\n[p]\n" + good, []string{`f:1: aws_account_id is outside any profile`}},
		{"profile twice", "[p]\n" + good + "[p]\n" + strings.ReplaceAll(good, "AAAA", "BBBB"), []string{`f:5: profile [p] appears twice (first on line 1)`}},
		{"key twice", "[p]\n" + good + "aws_account_id = 123456789012\n", []string{`f:5: aws_account_id appears twice in profile [p] (first on line 4)`}},
		{"missing account", "[p]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n", []string{`f:1: profile [p] has no aws_account_id`}},
		{"missing everything", "[p]\n", []string{`f:1: profile [p] has no aws_access_key_id`, `f:1: profile [p] has no aws_secret_access_key`, `f:1: profile [p] has no aws_account_id`}},
		{"bad account", "[p]\n" + strings.Replace(good, "123456789012", "12345", 1), []string{`f:4: aws_account_id "12345": want 12 digits`}},
		{"lower-case key id", "[p]\n" + strings.Replace(good, "AKIAAAAAAAAAAAAAAAAA", "akiaaaaaaaaaaaaaaaaa", 1), []string{`f:2: aws_access_key_id: want 16 to 128 upper-case letters and digits`}},
		{"short key id", "[p]\n" + strings.Replace(good, "AKIAAAAAAAAAAAAAAAAA", "AKIA1", 1), []string{`f:2: aws_access_key_id: want 16`}},
		{"temporary key id", "[p]\n" + strings.Replace(good, "AKIAAAAAAAAAAAAAAAAA", "ASIAAAAAAAAAAAAAAAAA", 1), []string{`f:2: aws_access_key_id: ids starting with ASIA are for temporary credentials`}},
		{"quoted secret", "[p]\n" + strings.Replace(good, "s3cret", `"s3cret"`, 1), []string{`f:3: aws_secret_access_key: want printable ASCII`}},
		{"secret with a trailing comment", "[p]\n" + strings.Replace(good, "s3cret", `s3cret # old`, 1), []string{`f:3: aws_secret_access_key: want printable ASCII`}},
		{"empty secret", "[p]\n" + strings.Replace(good, "s3cret", ``, 1), []string{`f:3: aws_secret_access_key: want printable ASCII`}},
		{"session token", "[p]\n" + good + "aws_session_token = x\n", []string{`f:5: aws_session_token: the server's keys are long-term keys`}},
		{"unknown key", "[p]\n" + good + "region = us-east-1\n", []string{`f:5: unknown key region`}},
		{"continuation line", "[p]\n" + good + "  more\n", []string{`f:5: an indented line continues a value`}},
		{"no delimiter", "[p]\n" + good + "nonsense\n", []string{`f:5: want key = value`}},
		{"unclosed header", "[p\n" + good, []string{`f:1: a profile header must be [name]`}},
		{"config-file header", "[profile p]\n" + good, []string{`f:1: profile "profile p": the credentials file names profiles without the "profile " prefix`}},
		{"profile with a slash", "[a/b]\n" + good, []string{`f:1: profile "a/b": want 1 to 64 letters`}},
		{"same key in two profiles", "[p]\n" + good + "[q]\n" + good, []string{`f:6: access key AKIAAAAAAAAAAAAAAAAA is also in the profile on line 2`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKeys("f", []byte(tc.data))
			if err == nil {
				t.Fatalf("ParseKeys accepted:\n%s", tc.data)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestCreateDefaultKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "credentials")
	created, err := CreateDefaultKeys(path, "123456789012")
	if err != nil || !created {
		t.Fatalf("CreateDefaultKeys = %v, %v; want created", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	keys, err := LoadKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	if keys.Len() != 1 {
		t.Fatalf("%d keys, want 1", keys.Len())
	}
	data, _ := os.ReadFile(path)
	id := regexp.MustCompile(`aws_access_key_id = (AKIA[A-Z2-7]{16})\n`).FindSubmatch(data)
	secret := regexp.MustCompile(`aws_secret_access_key = ([A-Za-z0-9+/]{40})\n`).FindSubmatch(data)
	if id == nil || secret == nil {
		t.Fatalf("file does not hold an AKIA key id and a 40-character secret:\n%s", data)
	}
	k, ok := keys.Lookup(string(id[1]))
	if !ok || k.Profile != DefaultProfile || k.AccountID != "123456789012" || k.SecretAccessKey != string(secret[1]) {
		t.Errorf("key = %+v", k)
	}

	// A second start keeps the file and its key.
	created, err = CreateDefaultKeys(path, "210987654321")
	if err != nil || created {
		t.Fatalf("second CreateDefaultKeys = %v, %v; want the file kept", created, err)
	}
	again, _ := os.ReadFile(path)
	if string(again) != string(data) {
		t.Error("the second start rewrote the credentials file")
	}
}

// Processes starting at once agree on one file.
func TestCreateDefaultKeysRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	var wg sync.WaitGroup
	created := make([]bool, 8)
	for i := range created {
		wg.Go(func() {
			c, err := CreateDefaultKeys(path, "123456789012")
			if err != nil {
				t.Error(err)
			}
			created[i] = c
		})
	}
	wg.Wait()
	n := 0
	for _, c := range created {
		if c {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d callers created the file, want 1", n)
	}
	if _, err := LoadKeys(path); err != nil {
		t.Error(err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".credentials-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestNewLongTermKeyIsRandom(t *testing.T) {
	a, err := NewLongTermKey("p", "123456789012")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewLongTermKey("p", "123456789012")
	if a.AccessKeyID == b.AccessKeyID || a.SecretAccessKey == b.SecretAccessKey {
		t.Error("two new keys are equal")
	}
	if !strings.HasPrefix(a.AccessKeyID, "AKIA") || len(a.AccessKeyID) != 20 || len(a.SecretAccessKey) != 40 {
		t.Errorf("key %s with a %d-character secret", a.AccessKeyID, len(a.SecretAccessKey))
	}
}
