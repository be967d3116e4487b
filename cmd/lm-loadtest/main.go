// Command lm-loadtest measures throughput and latency against a running
// license-manager server, for CreateToken or CheckoutLicense:
//
//	lm-loadtest -endpoint http://127.0.0.1:8080 -n 5000 -c 16
//	lm-loadtest -op checkout -n 100 -c 100 -max-count 10
//
// It first creates a license of its own (issued to the signing account),
// then sends exactly n requests (distinct client tokens) from c workers,
// stops after -timeout in any case, and prints requests per second and
// latency percentiles. For checkouts, each request takes one seat of a
// license with -max-count seats; it prints how many were granted and
// refused, and the usage the server reports afterwards, which must equal
// the grants. Requests are signed with credentials from the usual chain
// (environment, AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE, ...).
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:8080", "server `URL`")
	op := flag.String("op", "create-token", "operation to load: create-token or checkout")
	n := flag.Int("n", 2000, "number of requests")
	c := flag.Int("c", 8, "concurrent workers")
	maxCount := flag.Int64("max-count", 0, "seats of the checkout license (default: n, so every checkout fits)")
	timeout := flag.Duration("timeout", 2*time.Minute, "stop after this `duration`")
	flag.Parse()
	if *op != "create-token" && *op != "checkout" {
		fmt.Fprintf(os.Stderr, "lm-loadtest: -op %q: want create-token or checkout\n", *op)
		os.Exit(2)
	}
	if *maxCount == 0 {
		*maxCount = int64(*n)
	}
	if err := run(*endpoint, *op, *n, *c, *maxCount, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "lm-loadtest:", err)
		os.Exit(1)
	}
}

// loader sends signed License Manager requests.
type loader struct {
	endpoint string
	client   *http.Client
	creds    aws.Credentials
}

func run(endpoint, op string, n, workers int, maxCount int64, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// Credentials come from the usual chain: the environment, or
	// AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE (the server's own
	// credentials file works).
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithEC2IMDSClientEnableState(imds.ClientDisabled),
		awsconfig.WithRegion("us-east-1"))
	if err != nil {
		return err
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("no credentials to sign with: %w", err)
	}
	l := &loader{endpoint: endpoint, creds: creds,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}}
	account, err := l.account(ctx, cfg)
	if err != nil {
		return err
	}
	run := fmt.Sprintf("load-%d", time.Now().UnixNano())
	sku := "LOAD-" + run
	license, fingerprint, err := l.createLicense(ctx, run, sku, account, maxCount)
	if err != nil {
		return fmt.Errorf("create the license to load: %w", err)
	}

	var next, failed, refused atomic.Int64
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
				target, body := "CreateToken", fmt.Sprintf(`{"LicenseArn":%q,"ClientToken":"%s-%d","TokenProperties":["load"]}`, license, run, i)
				if op == "checkout" {
					target = "CheckoutLicense"
					body = fmt.Sprintf(`{"ProductSKU":%q,"CheckoutType":"PROVISIONAL","KeyFingerprint":%q,"Entitlements":[{"Name":"Seats","Value":"1","Unit":"Count"}],"ClientToken":"%s-%d"}`,
						sku, fingerprint, run, i)
				}
				t0 := time.Now()
				_, err := l.send(ctx, target, body)
				switch {
				case err != nil && strings.Contains(err.Error(), "NoEntitlementsAllowedException"):
					refused.Add(1)
				case err != nil:
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
	for _, d := range latencies {
		if d > 0 {
			ok = append(ok, d)
		}
	}
	slices.Sort(ok)
	if len(ok) == 0 {
		return fmt.Errorf("no request succeeded: %v", firstErr.Load())
	}
	pct := func(p float64) time.Duration { return ok[int(p*float64(len(ok)-1))] }
	fmt.Printf("%s: %d answered, %d failed in %v with %d workers\n", target(op), len(ok), failed.Load(), elapsed.Round(time.Millisecond), workers)
	fmt.Printf("throughput: %.0f requests/s\n", float64(len(ok))/elapsed.Seconds())
	fmt.Printf("latency: p50 %v  p90 %v  p99 %v  max %v\n", pct(0.50), pct(0.90), pct(0.99), ok[len(ok)-1])
	if op == "checkout" {
		used, err := l.usage(ctx, license)
		if err != nil {
			return err
		}
		granted := int64(len(ok)) - refused.Load()
		fmt.Printf("checkouts: %d granted, %d refused (NoEntitlementsAllowedException) of %d seats; the server reports %s in use\n",
			granted, refused.Load(), maxCount, used)
		if used != fmt.Sprint(granted) {
			return fmt.Errorf("usage %s differs from the %d checkouts granted", used, granted)
		}
	}
	if err := firstErr.Load(); err != nil {
		fmt.Printf("first error: %v\n", err)
	}
	return nil
}

func target(op string) string {
	if op == "checkout" {
		return "CheckoutLicense"
	}
	return "CreateToken"
}

// account returns the account the credentials act for (STS
// GetCallerIdentity on the same server).
func (l *loader) account(ctx context.Context, cfg aws.Config) (string, error) {
	client := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(l.endpoint) })
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("get caller identity: %w", err)
	}
	return aws.ToString(out.Account), nil
}

// createLicense creates a license with maxCount seats, issued to the
// signing account, and returns its ARN and key fingerprint.
func (l *loader) createLicense(ctx context.Context, run, sku, account string, maxCount int64) (string, string, error) {
	body, _ := json.Marshal(map[string]any{
		"LicenseName": "lm-loadtest " + run, "ProductName": "lm-loadtest", "ProductSKU": sku,
		"Issuer": map[string]string{"Name": "lm-loadtest"}, "HomeRegion": "us-east-1",
		"Validity":     map[string]string{"Begin": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)},
		"Entitlements": []map[string]any{{"Name": "Seats", "Unit": "Count", "MaxCount": maxCount, "AllowCheckIn": true}},
		"Beneficiary":  account, "ConsumptionConfiguration": map[string]any{"RenewType": "None"},
		"ClientToken": run,
	})
	reply, err := l.send(ctx, "CreateLicense", string(body))
	if err != nil {
		return "", "", err
	}
	var out struct{ LicenseArn string }
	if err := json.Unmarshal(reply, &out); err != nil {
		return "", "", err
	}
	return out.LicenseArn, "aws:" + account + ":lm-loadtest:issuer-fingerprint", nil
}

// usage returns the ConsumedValue of the license's Seats.
func (l *loader) usage(ctx context.Context, license string) (string, error) {
	reply, err := l.send(ctx, "GetLicenseUsage", fmt.Sprintf(`{"LicenseArn":%q}`, license))
	if err != nil {
		return "", err
	}
	var out struct {
		LicenseUsage struct {
			EntitlementUsages []struct{ Name, ConsumedValue string }
		}
	}
	if err := json.Unmarshal(reply, &out); err != nil {
		return "", err
	}
	for _, u := range out.LicenseUsage.EntitlementUsages {
		if u.Name == "Seats" {
			return u.ConsumedValue, nil
		}
	}
	return "", fmt.Errorf("GetLicenseUsage %s has no Seats", reply)
}

func (l *loader) send(ctx context.Context, op, body string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.endpoint+"/", bytes.NewReader([]byte(body)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSLicenseManager."+op)
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(ctx, l.creds, req, hex.EncodeToString(sum[:]), "license-manager", "us-east-1", time.Now()); err != nil {
		return nil, err
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: status %d: %s", op, resp.StatusCode, reply)
	}
	return reply, nil
}
