package sqlite_test

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/sqlite"
	"github.com/license-manager/license-manager/internal/store/storetest"
)

func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, filepath.Join(t.TempDir(), "store.db"))
	})
}

// open opens the store at path and closes it when the test ends.
func open(t testing.TB, path string, opts ...sqlite.Option) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path, opts...)
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	return s
}

var now = time.Date(2026, time.March, 14, 15, 9, 26, 0, time.UTC)

// token returns a token and its idempotency record, unique in id.
func token(id string) (store.Token, store.Idempotency) {
	h := sha256.Sum256([]byte("jwt " + id))
	tok := store.Token{
		ID:         id,
		AccountID:  "111122223333",
		LicenseARN: "arn:aws:license-manager::294406891311:license:l-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
		RoleARNs:   []string{"arn:aws:iam::111122223333:role/LicenseReader"},
		Status:     store.StatusAvailable,
		CreatedAt:  now,
		ExpiresAt:  now.AddDate(1, 0, 0),
		Hash:       h[:],
	}
	rec := store.Idempotency{
		AccountID:   tok.AccountID,
		Operation:   "CreateToken",
		ClientToken: "ct-" + id,
		RequestHash: h[:],
		ResourceID:  id,
		Response:    []byte(`{"TokenId":"` + id + `"}`),
		CreatedAt:   now,
		ExpiresAt:   now.Add(10 * time.Minute),
	}
	return tok, rec
}

// listIDs returns the ids of every token of token's account.
func listIDs(t *testing.T, s store.Store) []string {
	t.Helper()
	toks, err := s.ListTokens(t.Context(), store.TokenQuery{AccountID: "111122223333"})
	if err != nil {
		t.Fatalf("ListTokens = %v", err)
	}
	ids := make([]string, len(toks))
	for i, tok := range toks {
		ids[i] = tok.ID
	}
	return ids
}

func TestTwoStoresOneFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	stores := []*sqlite.Store{open(t, path), open(t, path)}
	const each = 150
	var wg sync.WaitGroup
	var want []string
	for i, s := range stores {
		for j := range each {
			want = append(want, fmt.Sprintf("tkn-%d-%03d", i, j))
		}
		wg.Go(func() {
			for j := range each {
				tok, rec := token(fmt.Sprintf("tkn-%d-%03d", i, j))
				if _, err := s.CreateToken(t.Context(), tok, rec); err != nil {
					t.Errorf("store %d: CreateToken(%s) = %v", i, tok.ID, err)
					return
				}
				if _, err := s.Token(t.Context(), tok.AccountID, tok.ID); err != nil {
					t.Errorf("store %d: Token(%s) = %v", i, tok.ID, err)
					return
				}
			}
		})
	}
	wg.Wait()
	slices.Sort(want)
	for i, s := range stores {
		if got := listIDs(t, s); !slices.Equal(got, want) {
			t.Errorf("store %d lists %d tokens, want %d", i, len(got), len(want))
		}
	}
}

// Environment of TestHelperProcess, which runs only as a child of another
// test.
const (
	envChildDB    = "LICENSE_MANAGER_TEST_SQLITE_DB"
	envChildMode  = "LICENSE_MANAGER_TEST_SQLITE_MODE" // "create" or "until-killed"
	envChildName  = "LICENSE_MANAGER_TEST_SQLITE_NAME"
	childCreates  = 200
	childProcs    = 4
	childMaxTotal = 100000 // stops an orphaned until-killed child
)

// child returns a command running TestHelperProcess in mode on the file at
// path.
func child(t *testing.T, path, mode, name string) *exec.Cmd {
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChildDB+"="+path, envChildMode+"="+mode, envChildName+"="+name)
	return cmd
}

// TestHelperProcess is a separate process for TestMultiProcess and
// TestKilledProcessKeepsTokens.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(envChildDB)
	if path == "" {
		t.Skip("runs only as a child process of other tests")
	}
	name := os.Getenv(envChildName)
	s := open(t, path)
	switch os.Getenv(envChildMode) {
	case "create":
		for i := range childCreates {
			tok, rec := token(fmt.Sprintf("tkn-%s-%03d", name, i))
			if _, err := s.CreateToken(t.Context(), tok, rec); err != nil {
				t.Fatalf("CreateToken(%s) = %v", tok.ID, err)
			}
		}
	case "until-killed":
		for i := range childMaxTotal {
			tok, rec := token(fmt.Sprintf("tkn-%s-%06d", name, i))
			if _, err := s.CreateToken(t.Context(), tok, rec); err != nil {
				t.Fatalf("CreateToken(%s) = %v", tok.ID, err)
			}
			fmt.Printf("created %s\n", tok.ID)
		}
	default:
		t.Fatalf("unknown %s %q", envChildMode, os.Getenv(envChildMode))
	}
}

// TestMultiProcess runs four processes that open one fresh file at once and
// create tokens in it concurrently.
func TestMultiProcess(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "data", "store.db")
	var wg sync.WaitGroup
	var want []string
	for p := range childProcs {
		name := strconv.Itoa(p)
		for i := range childCreates {
			want = append(want, fmt.Sprintf("tkn-%s-%03d", name, i))
		}
		cmd := child(t, path, "create", name)
		wg.Go(func() {
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("child %s: %v\n%s", name, err, out)
			}
			if strings.Contains(string(out), "locked") {
				t.Errorf("child %s reported a lock:\n%s", name, out)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	slices.Sort(want)
	if got := listIDs(t, open(t, path)); !slices.Equal(got, want) {
		t.Errorf("after %d processes created %d tokens each, %d tokens stored, want %d",
			childProcs, childCreates, len(got), len(want))
	}
}

// TestKilledProcessKeepsTokens kills a process that is creating tokens and
// checks that every token it acknowledged was kept.
func TestKilledProcessKeepsTokens(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	cmd := child(t, path, "until-killed", "k")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	lines := bufio.NewScanner(stdout)
	for len(acked) < 50 && lines.Scan() {
		if id, ok := strings.CutPrefix(lines.Text(), "created "); ok {
			acked = append(acked, id)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	_ = cmd.Wait()
	if len(acked) < 50 {
		t.Fatalf("child acknowledged %d tokens before exiting, want 50", len(acked))
	}

	got := listIDs(t, open(t, path))
	for _, id := range acked {
		if _, ok := slices.BinarySearch(got, id); !ok {
			t.Errorf("acknowledged token %s lost when the process was killed", id)
		}
	}
}

func TestFileModes(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "new", "dir")
	path := filepath.Join(dir, "store.db")
	s := open(t, path)
	tok, rec := token("tkn-1")
	if _, err := s.CreateToken(t.Context(), tok, rec); err != nil {
		t.Fatalf("CreateToken = %v", err)
	}

	wantModes := map[string]fs.FileMode{
		dir:               fs.ModeDir | 0o700,
		filepath.Dir(dir): fs.ModeDir | 0o700,
		path:              0o600,
		path + "-wal":     0o600,
		path + "-shm":     0o600,
	}
	for p, want := range wantModes {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode(); got != want {
			t.Errorf("mode of %s = %v, want %v", p, got, want)
		}
	}
}

func TestExistingFileKeepsMode(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "store.db")
	if err := os.WriteFile(path, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	open(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o640 {
		t.Errorf("mode of existing file = %v, want %v", got, fs.FileMode(0o640))
	}
}

func TestPathWithURICharacters(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a b?c#d%20e&f=g;ü")
	path := filepath.Join(dir, "store?x=1.db")
	s := open(t, path)
	tok, rec := token("tkn-1")
	if _, err := s.CreateToken(t.Context(), tok, rec); err != nil {
		t.Fatalf("CreateToken = %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("database not at the path given: %v", err)
	}
	if fi.Size() == 0 {
		t.Errorf("database file %s is empty", path)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "store?x=1.db") {
			t.Errorf("unexpected file %q next to the database", e.Name())
		}
	}
}

func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("this is not an SQLite database, but it is long enough to have a header"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		opts []sqlite.Option
		want string
	}{
		{"empty path", "", nil, "empty path"},
		{"a directory", dir, nil, dir},
		{"a file that is not a database", notDB, nil, notDB},
		{"no readers", filepath.Join(dir, "a.db"), []sqlite.Option{sqlite.WithReaders(0)}, "readers"},
		{"sub-millisecond busy timeout", filepath.Join(dir, "b.db"), []sqlite.Option{sqlite.WithBusyTimeout(time.Microsecond)}, "busy timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := sqlite.Open(t.Context(), tt.path, tt.opts...)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) = nil error, want one", tt.path)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "open sqlite store") {
				t.Errorf("Open(%q) = %v, want an error about %q", tt.path, err, tt.want)
			}
		})
	}
}

func BenchmarkCreateToken(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "store.db"))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tok, rec := token("tkn-" + strconv.Itoa(i))
		i++
		if _, err := s.CreateToken(b.Context(), tok, rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToken(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "store.db"))
	tok, rec := token("tkn-1")
	if _, err := s.CreateToken(b.Context(), tok, rec); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Token(b.Context(), tok.AccountID, tok.ID); err != nil {
			b.Fatal(err)
		}
	}
}
