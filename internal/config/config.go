// Package config holds the settings of an installation (data directory,
// listen address, default account, issuer, credentials file) and resolves
// them from flags, the environment and defaults, in that order of
// precedence.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"

	"github.com/license-manager/license-manager/internal/arn"
)

// Environment variables read by Load.
const (
	EnvDataDir   = "LICENSE_MANAGER_DATA_DIR"
	EnvListen    = "LICENSE_MANAGER_LISTEN"
	EnvAccountID = "LICENSE_MANAGER_ACCOUNT_ID"
	EnvIssuer    = "LICENSE_MANAGER_ISSUER"
	// EnvCredentials names the server's credentials file.
	EnvCredentials = "LICENSE_MANAGER_CREDENTIALS"
)

// Defaults.
const (
	// DefaultListen is the server's default address: loopback only.
	DefaultListen = "127.0.0.1:8080"
	// DefaultAccountID is the account of the embedded command line, and of
	// the key the server creates when it has no credentials file, unless
	// configured.
	DefaultAccountID = "123456789012"
	// DefaultIssuer is the iss claim unless configured: the URL of a server
	// on the default address.
	DefaultIssuer = "http://127.0.0.1:8080"
)

// Config is the configuration of one installation.
type Config struct {
	// DataDir holds the database and the signing keys.
	DataDir string
	// Listen is the server's TCP address.
	Listen string
	// AccountID is the account the embedded command line acts for, and
	// the account of the key the server creates in a new data directory.
	AccountID string
	// Credentials is the server's credentials file (access keys, in the
	// aws shared-credentials format); empty means CredentialsPath's
	// default in the data directory, created on first start.
	Credentials string
	// Issuer is the iss claim of issued tokens.
	Issuer string
}

// Default returns the defaults, with the data directory resolved from the
// environment given by getenv (XDG_DATA_HOME, then HOME).
func Default(getenv func(string) string) Config {
	return Config{
		DataDir:   defaultDataDir(getenv),
		Listen:    DefaultListen,
		AccountID: DefaultAccountID,
		Issuer:    DefaultIssuer,
	}
}

func defaultDataDir(getenv func(string) string) string {
	if x := getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "license-manager")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "license-manager")
}

// FromEnv returns the defaults overridden by LICENSE_MANAGER_* variables.
// Flags, applied by the caller afterwards, override both.
func FromEnv(getenv func(string) string) Config {
	c := Default(getenv)
	if v := getenv(EnvDataDir); v != "" {
		c.DataDir = v
	}
	if v := getenv(EnvListen); v != "" {
		c.Listen = v
	}
	if v := getenv(EnvAccountID); v != "" {
		c.AccountID = v
	}
	if v := getenv(EnvIssuer); v != "" {
		c.Issuer = v
	}
	if v := getenv(EnvCredentials); v != "" {
		c.Credentials = v
	}
	return c
}

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("data directory: empty"))
	}
	if !arn.IsAccountID(c.AccountID) {
		errs = append(errs, fmt.Errorf("account id %q: want 12 digits", c.AccountID))
	}
	if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("issuer %q: want an http or https URL", c.Issuer))
	}
	// Every request but GetAccessToken and AssumeRoleWithWebIdentity (whose
	// tokens are their credentials) is authenticated with SigV4, so any
	// address may be listened on.
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen address %q: %v", c.Listen, err))
	}
	return errors.Join(errs...)
}

// DatabaseFile is the name of the SQLite database in the data directory.
const DatabaseFile = "license-manager.db"

// DatabasePath returns the SQLite database file in the data directory.
func (c Config) DatabasePath() string { return filepath.Join(c.DataDir, DatabaseFile) }

// CredentialsPath returns the server's credentials file: Credentials, or
// "credentials" in the data directory.
func (c Config) CredentialsPath() string {
	if c.Credentials != "" {
		return c.Credentials
	}
	return filepath.Join(c.DataDir, "credentials")
}

// KeyPath returns the signing key file in the data directory.
func (c Config) KeyPath() string { return filepath.Join(c.DataDir, "signing-keys.json") }
