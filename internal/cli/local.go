package cli

import (
	"context"
	"io"
	"log/slog"

	"github.com/license-manager/license-manager/internal/auth"
	"github.com/license-manager/license-manager/internal/server"
)

// local runs operations in this process on the embedded store.
type local struct {
	inst *server.Installation
}

func (l *local) invoke(ctx context.Context, op string, body []byte) ([]byte, error) {
	reply, werr := l.inst.API.Call(ctx, auth.Embedded(l.inst.Config.AccountID), op, body)
	if werr != nil {
		return nil, &serviceError{Code: werr.Code, Message: werr.Message, Status: werr.Status}
	}
	return reply, nil
}

// discardLogger drops records; the embedded mode reports errors through the
// command's own output instead.
func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
