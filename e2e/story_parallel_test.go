package e2e

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager"
	lmtypes "github.com/aws/aws-sdk-go-v2/service/licensemanager/types"
)

// storyParallelInput is a checkout of one seat of the story's license.
func storyParallelInput(clientToken string) *licensemanager.CheckoutLicenseInput {
	return &licensemanager.CheckoutLicenseInput{
		ProductSKU: aws.String(storySKU), CheckoutType: lmtypes.CheckoutTypeProvisional,
		KeyFingerprint: aws.String(storyFingerprint), Entitlements: []lmtypes.EntitlementData{storySeat},
		ClientToken: aws.String(clientToken),
	}
}

// storySeats returns the ConsumedValue of Seats.
func storySeats(t *testing.T, c *licensemanager.Client, lic string) string {
	t.Helper()
	out, err := c.GetLicenseUsage(t.Context(), &licensemanager.GetLicenseUsageInput{LicenseArn: aws.String(lic)})
	if err != nil {
		t.Fatalf("GetLicenseUsage: %v", err)
	}
	for _, u := range out.LicenseUsage.EntitlementUsages {
		if aws.ToString(u.Name) == "Seats" {
			return aws.ToString(u.ConsumedValue)
		}
	}
	t.Fatalf("GetLicenseUsage reports no Seats: %+v", out.LicenseUsage.EntitlementUsages)
	return ""
}

// TestStoryParallelCheckouts: 100 checkouts of one seat at once against
// MaxCount 10 grant exactly 10, and a restarted server counts the same.
// Retries are off: every call must be decided the first time, so a lost
// race cannot hide behind a retried 500.
func TestStoryParallelCheckouts(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	ts, stop := openStoryServer(t, dataDir, time.Now)
	// The test closes the clients' connections before it stops the
	// server, or the server's graceful shutdown would wait for them.
	transport := sdkTransport(t)
	noRetries := func(o *licensemanager.Options) {
		o.Retryer = aws.NopRetryer{}
		o.HTTPClient = &http.Client{Transport: transport}
	}
	seller, buyer := storySellerClient(t, ts, noRetries), newSDKClient(t, ts, noRetries)
	created, err := seller.CreateLicense(t.Context(), storyLicenseInput(storySKU, "story-parallel"))
	if err != nil {
		t.Fatalf("CreateLicense: %v", err)
	}
	lic := aws.ToString(created.LicenseArn)

	const calls = 100
	granted := make([]string, calls)
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			out, err := buyer.CheckoutLicense(t.Context(), storyParallelInput(fmt.Sprint("story-parallel-", i)))
			if err == nil {
				granted[i] = aws.ToString(out.LicenseConsumptionToken)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	var tokens []string
	refused := 0
	for i, err := range errs {
		var none *lmtypes.NoEntitlementsAllowedException
		switch {
		case err == nil:
			tokens = append(tokens, granted[i])
		case errors.As(err, &none) && strings.Contains(none.ErrorMessage(), "has MaxCount 10 and 10 in use"):
			refused++
		default:
			t.Errorf("checkout %d: %v, want success or NoEntitlementsAllowedException with 10 in use", i, err)
		}
	}
	if len(tokens) != 10 || refused != 90 {
		t.Fatalf("%d checkouts granted and %d refused, want 10 and 90", len(tokens), refused)
	}
	if got := storySeats(t, buyer, lic); got != "10" {
		t.Errorf("Seats in use = %s, want 10", got)
	}

	// A new server on the same data directory knows every seat in use.
	transport.CloseIdleConnections()
	stop()
	ts, _ = openStoryServer(t, dataDir, time.Now)
	transport = sdkTransport(t)
	buyer = newSDKClient(t, ts, noRetries)
	if got := storySeats(t, buyer, lic); got != "10" {
		t.Errorf("after a restart, Seats in use = %s, want 10", got)
	}
	_, err = buyer.CheckoutLicense(t.Context(), storyParallelInput("story-parallel-after-restart"))
	var none *lmtypes.NoEntitlementsAllowedException
	if !errors.As(err, &none) {
		t.Errorf("an 11th checkout after the restart: err = %v, want NoEntitlementsAllowedException", err)
	}
	checkIn := &licensemanager.CheckInLicenseInput{LicenseConsumptionToken: aws.String(tokens[0])}
	if _, err := buyer.CheckInLicense(t.Context(), checkIn); err != nil {
		t.Fatalf("CheckInLicense after the restart: %v", err)
	}
	if got := storySeats(t, buyer, lic); got != "9" {
		t.Errorf("after a check-in, Seats in use = %s, want 9", got)
	}
}
