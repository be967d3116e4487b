package server

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/license"
	"github.com/license-manager/license-manager/internal/seal"
	"github.com/license-manager/license-manager/internal/sigv4"
	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/sqlite"
	"github.com/license-manager/license-manager/internal/sts"
	"github.com/license-manager/license-manager/internal/token"
)

// Installation is an opened data directory: its store, its signing keys and
// the API over them. The server and the command line's embedded mode both
// run on one.
type Installation struct {
	Config config.Config
	Store  store.Store
	Keys   *token.KeySet
	// Sealer seals what clients hold for the server: ListTokens NextToken
	// values and session tokens. Its key is the data directory's
	// sealing-key file.
	Sealer *seal.Sealer
	// Sessions issues and resolves the temporary credentials of
	// AssumeRoleWithWebIdentity, sealed with Sealer.
	Sessions *auth.Sessions
	API      *API
	// now is the clock of the token service and the sessions.
	now func() time.Time
}

// Open opens the data directory of cfg, creating the database and the
// signing keys on first use. now is the clock of the token service.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, now func() time.Time) (*Installation, error) {
	keys, err := token.LoadKeySet(cfg.KeyPath(), token.Algorithms...)
	if err != nil {
		return nil, err
	}
	sealer, err := seal.Load(filepath.Join(cfg.DataDir, "sealing-key"))
	if err != nil {
		return nil, err
	}
	st, err := sqlite.Open(ctx, cfg.DatabasePath())
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// Replies held for idempotency may contain bearer tokens; drop the
	// expired ones whenever a process opens the store. This is
	// housekeeping: if another process holds the write lock for longer
	// than the store waits, the command goes on and the next process (or
	// the server's purge loop) removes them.
	if _, err := st.PurgeIdempotency(ctx, now()); err != nil {
		if ctx.Err() != nil {
			st.Close()
			return nil, ctx.Err()
		}
		log.Warn("purge expired idempotency records", keyErr, err)
	}
	svc := &token.Service{Store: st, Keys: keys, Issuer: cfg.Issuer, Now: now, Sealer: sealer}
	licenses := &license.Service{Store: st, Keys: keys, Issuer: cfg.Issuer, Now: now, Sealer: sealer}
	return &Installation{
		Config:   cfg,
		Store:    st,
		Keys:     keys,
		Sealer:   sealer,
		Sessions: &auth.Sessions{Sealer: sealer, TokenActive: svc.TokenActive, Now: now},
		API:      &API{Tokens: svc, Licenses: licenses, Logger: log},
		now:      now,
	}, nil
}

// Close closes the store.
func (in *Installation) Close() error { return in.Store.Close() }

// NewServer returns a server for the installation on cfg.Listen, which
// authenticates requests with the access keys of the credentials file (see
// LoadCredentials) and the installation's temporary credentials.
func (in *Installation) NewServer(log *slog.Logger) (*Server, error) {
	keys, err := in.LoadCredentials(log)
	if err != nil {
		return nil, err
	}
	return New(Config{
		Listen: in.Config.Listen,
		Issuer: in.Config.Issuer,
		JWKS:   func() any { return in.Keys.JWKS() },
		API:    in.API,
		// Signatures are dated by the clients' clocks, so they are checked
		// against the real time whatever clock the token service runs on.
		Verifier: &sigv4.Verifier{Resolver: &auth.Resolver{Keys: keys, Sessions: in.Sessions}, Now: time.Now},
		STS:      &sts.API{Tokens: in.API.Tokens, Sessions: in.Sessions, Now: in.now, Logger: log},
		Log:      log,
	})
}

// LoadCredentials reads the server's access keys from the credentials file
// (config.Config.CredentialsPath). Without --credentials, a data directory
// that has no credentials file gets one, mode 0600, with a new key for the
// configured account under profile auth.DefaultProfile; its path is
// logged, never the secret. A file named with --credentials must exist.
func (in *Installation) LoadCredentials(log *slog.Logger) (*auth.Keys, error) {
	path := in.Config.CredentialsPath()
	if in.Config.Credentials == "" {
		created, err := auth.CreateDefaultKeys(path, in.Config.AccountID)
		if err != nil {
			return nil, err
		}
		if created {
			log.Info("created a credentials file with a new access key; clients can sign with it: AWS_SHARED_CREDENTIALS_FILE="+path+" AWS_PROFILE="+auth.DefaultProfile,
				"credentials_file", path, "profile", auth.DefaultProfile, keyAccount, in.Config.AccountID)
		}
	}
	keys, err := auth.LoadKeys(path)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		log.Warn("the credentials file can be read by other users; make it mode 0600", "credentials_file", path, "mode", fi.Mode().Perm().String())
	}
	log.Info("access keys loaded", "credentials_file", path, "keys", keys.Len())
	return keys, nil
}

// PurgeLoop removes expired idempotency records every interval until ctx is
// done, so replies holding bearer tokens do not outlive their window.
func (in *Installation) PurgeLoop(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := in.Store.PurgeIdempotency(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("purge idempotency records", keyErr, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
