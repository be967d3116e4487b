// Command lm-loadtest measures CreateToken throughput and latency against a
// running license-manager server:
//
//	lm-loadtest -endpoint http://127.0.0.1:8080 -n 5000 -c 16
//
// It sends exactly n requests (distinct client tokens) from c workers, stops
// after -timeout in any case, and prints tokens per second and latency
// percentiles. Requests are signed with credentials from the usual chain
// (environment, AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE, ...).
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
)

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:8080", "server `URL`")
	n := flag.Int("n", 2000, "number of requests")
	c := flag.Int("c", 8, "concurrent workers")
	timeout := flag.Duration("timeout", 2*time.Minute, "stop after this `duration`")
	license := flag.String("license-arn", "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef", "license `ARN`")
	flag.Parse()
	if err := run(*endpoint, *n, *c, *timeout, *license); err != nil {
		fmt.Fprintln(os.Stderr, "lm-loadtest:", err)
		os.Exit(1)
	}
}

func run(endpoint string, n, workers int, timeout time.Duration, license string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// Credentials come from the usual chain: the environment, or
	// AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE (the server's own
	// credentials file works).
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	if err != nil {
		return err
	}
	got, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("no credentials to sign with: %w", err)
	}
	creds := &got
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	run := fmt.Sprintf("load-%d", time.Now().UnixNano())

	var next, failed atomic.Int64
	latencies := make([]time.Duration, n)
	var firstErr atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				body := fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"%s-%d","TokenProperties":["load"]}`, license, run, i)
				t0 := time.Now()
				if err := send(ctx, client, endpoint, creds, []byte(body)); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				latencies[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	var ok []time.Duration
	for _, l := range latencies {
		if l > 0 {
			ok = append(ok, l)
		}
	}
	slices.Sort(ok)
	if len(ok) == 0 {
		return fmt.Errorf("no request succeeded: %v", firstErr.Load())
	}
	pct := func(p float64) time.Duration { return ok[int(p*float64(len(ok)-1))] }
	fmt.Printf("requests: %d ok, %d failed in %v with %d workers\n", len(ok), failed.Load(), elapsed.Round(time.Millisecond), workers)
	fmt.Printf("throughput: %.0f tokens/s\n", float64(len(ok))/elapsed.Seconds())
	fmt.Printf("latency: p50 %v  p90 %v  p99 %v  max %v\n", pct(0.50), pct(0.90), pct(0.99), ok[len(ok)-1])
	if err := firstErr.Load(); err != nil {
		fmt.Printf("first error: %v\n", err)
	}
	return nil
}

func send(ctx context.Context, client *http.Client, endpoint string, creds *aws.Credentials, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSLicenseManager.CreateToken")
	if creds != nil {
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(ctx, *creds, req, hex.EncodeToString(sum[:]), "license-manager", "us-east-1", time.Now()); err != nil {
			return err
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, reply)
	}
	return nil
}
