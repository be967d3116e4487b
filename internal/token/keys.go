package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/go-jose/go-jose/v4"
)

// KeyFile is the name of the signing key file in the data directory.
const KeyFile = "signing-keys.json"

// Algorithms offered for signing. ES256 signs refresh and access tokens;
// PS384 is the algorithm of borrowed-license tokens (JWT_PS384).
const (
	ES256 = string(jose.ES256)
	PS384 = string(jose.PS384)
)

// Algorithms lists the algorithms an installation keeps a signing key for:
// ES256 for refresh and access tokens, PS384 for the signed tokens of
// license checkouts. Both keys are made when a data directory is first
// used, so the JWKS that servers publish never lacks one that another
// process signs with.
var Algorithms = []string{ES256, PS384}

// Key is a private signing key bound to one algorithm. Its KeyID is the
// RFC 7638 thumbprint of the public key.
type Key struct {
	jwk jose.JSONWebKey
}

// KeyID returns the key's id (the kid header of the tokens it signs).
func (k *Key) KeyID() string { return k.jwk.KeyID }

// Algorithm returns the only algorithm the key signs and verifies with.
func (k *Key) Algorithm() string { return k.jwk.Algorithm }

// String names the key without its private material, so a key that
// reaches a log or an error message reveals nothing.
func (k *Key) String() string { return "key " + k.jwk.KeyID + " (" + k.jwk.Algorithm + ")" }

// NewKey creates a key for alg (ES256 or PS384).
func NewKey(alg string) (*Key, error) {
	var priv crypto.Signer
	var err error
	switch alg {
	case ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case PS384:
		priv, err = rsa.GenerateKey(rand.Reader, 3072)
	default:
		return nil, fmt.Errorf("new key: unsupported algorithm %q", alg)
	}
	if err != nil {
		return nil, fmt.Errorf("new %s key: %w", alg, err)
	}
	return newKey(priv, alg)
}

func newKey(priv crypto.Signer, alg string) (*Key, error) {
	jwk := jose.JSONWebKey{Key: priv, Algorithm: alg, Use: "sig"}
	pub := jwk.Public()
	tp, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("key thumbprint: %w", err)
	}
	jwk.KeyID = base64.RawURLEncoding.EncodeToString(tp)
	return &Key{jwk: jwk}, nil
}

// KeySet holds the installation's signing keys: the one used to sign each
// algorithm and every key that tokens may still name. It is read-only after
// loading and safe for concurrent use.
type KeySet struct {
	keys   []*Key
	active map[string]*Key // by algorithm: the newest key
	byID   map[string]*Key
}

// NewKeySet builds a key set; for each algorithm the last key signs.
func NewKeySet(keys ...*Key) *KeySet {
	ks := &KeySet{active: map[string]*Key{}, byID: map[string]*Key{}}
	for _, k := range keys {
		ks.keys = append(ks.keys, k)
		ks.active[k.Algorithm()] = k
		ks.byID[k.KeyID()] = k
	}
	return ks
}

// Active returns the key that signs with alg, or nil.
func (ks *KeySet) Active(alg string) *Key { return ks.active[alg] }

// Lookup returns the key with the given id, or nil.
func (ks *KeySet) Lookup(kid string) *Key { return ks.byID[kid] }

// JWKS returns the public keys as a JSON Web Key Set (RFC 7517 section 5).
func (ks *KeySet) JWKS() jose.JSONWebKeySet {
	var set jose.JSONWebKeySet
	for _, k := range ks.keys {
		set.Keys = append(set.Keys, k.jwk.Public())
	}
	return set
}

// LoadKeySet reads the key file at path, adding a new key for each algorithm
// in algs that it lacks. The file has mode 0600; it is changed under an
// exclusive lock and replaced atomically, so concurrent processes agree on one
// set of keys.
func LoadKeySet(path string, algs ...string) (*KeySet, error) {
	keys, err := readKeys(path)
	if err == nil && len(missingAlgs(keys, algs)) == 0 {
		return NewKeySet(keys...), nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create key directory: %w", err)
	}
	lock, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock signing keys: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return nil, fmt.Errorf("lock signing keys: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing releases it too

	// Another process may have added the keys while this one waited.
	keys, err = readKeys(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	missing := missingAlgs(keys, algs)
	if len(missing) == 0 {
		return NewKeySet(keys...), nil
	}
	for _, alg := range missing {
		k, err := NewKey(alg)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	if err := writeKeys(path, keys); err != nil {
		return nil, err
	}
	return NewKeySet(keys...), nil
}

func missingAlgs(keys []*Key, algs []string) []string {
	var missing []string
	for _, alg := range algs {
		found := false
		for _, k := range keys {
			found = found || k.Algorithm() == alg
		}
		if !found {
			missing = append(missing, alg)
		}
	}
	return missing
}

func readKeys(path string) ([]*Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read signing keys: %w", err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("read signing keys %s: %w", path, err)
	}
	var keys []*Key
	for _, jwk := range set.Keys {
		signer, ok := jwk.Key.(crypto.Signer)
		if !ok || jwk.IsPublic() {
			return nil, fmt.Errorf("read signing keys %s: key %s is not a private key", path, jwk.KeyID)
		}
		k, err := newKey(signer, jwk.Algorithm)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// writeKeys replaces the file at path with keys, durably.
func writeKeys(path string, keys []*Key) error {
	var set jose.JSONWebKeySet
	for _, k := range keys {
		set.Keys = append(set.Keys, k.jwk)
	}
	data, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		return fmt.Errorf("encode signing keys: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".signing-keys-*")
	if err != nil {
		return fmt.Errorf("write signing keys: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write signing keys: %w", err)
	}
	return nil
}
