// Package seal protects small pieces of server state that travel through
// clients (list pagination tokens, the session tokens of temporary
// credentials): sealed values are encrypted and authenticated with a key
// that never leaves the installation, so a client can neither read nor
// forge nor alter them, and any server holding the key can open them
// without a database look-up.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of a sealing key: AES-256.
const KeySize = 32

// ErrInvalid means a sealed value was not made by this key for this
// purpose, or was altered.
var ErrInvalid = errors.New("sealed value is invalid")

// Sealer seals and opens values with one key. It is safe for concurrent use.
type Sealer struct {
	aead cipher.AEAD
}

// New returns a Sealer for a KeySize-byte key.
func New(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sealing key: want %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plaintext for purpose and returns it as unpadded base64url.
// purpose binds the value to its use (and, by including an account id, to
// its owner): Open with another purpose fails.
func (s *Sealer) Seal(purpose string, plaintext []byte) string {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("seal: reading random bytes: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plaintext, []byte(purpose)))
}

// Open returns the plaintext of a value sealed for purpose, or ErrInvalid.
func (s *Sealer) Open(purpose, sealed string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return nil, ErrInvalid
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return nil, ErrInvalid
	}
	return plain, nil
}

// Load reads the sealing key at path, creating it (mode 0600) if it does
// not exist. Processes racing to create it agree on one key: the file is
// written under a temporary name and linked into place, which fails for
// all but the first.
func Load(path string) (*Sealer, error) {
	key, err := readKey(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := create(path); err != nil {
			return nil, err
		}
		key, err = readKey(path)
	}
	if err != nil {
		return nil, err
	}
	return New(key)
}

func readKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("sealing key %s: want %d bytes in base64", path, KeySize)
	}
	return key, nil
}

func create(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create sealing key: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("create sealing key: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".sealing-key-*")
	if err != nil {
		return fmt.Errorf("create sealing key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("create sealing key: %w", werr)
	}
	// CreateTemp made the file 0600. Link fails if another process won.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create sealing key: %w", err)
	}
	return nil
}
