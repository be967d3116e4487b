package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
)

// BenchmarkCreateTokenHTTP measures CreateToken through the whole server:
// HTTP, JSON 1.1 decoding, validation, signing and a SQLite write per
// token. Every call has its own client token, so each one creates a token;
// none is answered from the idempotency record.
func BenchmarkCreateTokenHTTP(b *testing.B) {
	ts := startQuietServer(b)
	tr := sdkTransport(b)
	tr.MaxIdleConnsPerHost = 64
	client := &http.Client{Transport: tr}
	var seq atomic.Int64

	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ct := "bench-" + strconv.FormatInt(seq.Add(1), 10)
			body := fmt.Sprintf(`{"LicenseArn":%q,"RoleArns":[%q],"TokenProperties":["env=prod"],"ClientToken":%q}`,
				licL, roleR1, ct)
			if err := postCreateToken(b, client, ts.url, body); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()

	if toks := ts.tokens(b); int64(len(toks)) != seq.Load() {
		b.Errorf("store holds %d tokens after %d calls", len(toks), seq.Load())
	}
}

// postCreateToken sends one unsigned CreateToken request, which the server
// accepts while it does not authenticate requests.
func postCreateToken(b *testing.B, client *http.Client, url, body string) error {
	req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, url+"/", bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	req.Header.Set("X-Amz-Target", "AWSLicenseManager.CreateToken")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("CreateToken: %w", err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("CreateToken: read reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("CreateToken: %s: %s", resp.Status, reply)
	}
	return nil
}
