package server

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/license-manager/license-manager/internal/config"
	"github.com/license-manager/license-manager/internal/seal"
	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/store/sqlite"
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
	API    *API
}

// Open opens the data directory of cfg, creating the database and the
// signing keys on first use. now is the clock of the token service.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, now func() time.Time) (*Installation, error) {
	keys, err := token.LoadKeySet(cfg.KeyPath(), token.ES256)
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
	return &Installation{
		Config: cfg,
		Store:  st,
		Keys:   keys,
		Sealer: sealer,
		API:    &API{Tokens: svc, Logger: log},
	}, nil
}

// Close closes the store.
func (in *Installation) Close() error { return in.Store.Close() }

// NewServer returns a server for the installation on cfg.Listen.
func (in *Installation) NewServer(log *slog.Logger) (*Server, error) {
	return New(Config{
		Listen:    in.Config.Listen,
		AccountID: in.Config.AccountID,
		Issuer:    in.Config.Issuer,
		JWKS:      func() any { return in.Keys.JWKS() },
		API:       in.API,
		Log:       log,
	})
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
