package e2e

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/licensemanager"
	lmtypes "github.com/aws/aws-sdk-go-v2/service/licensemanager/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/license-manager/license-manager/internal/store"
	"github.com/license-manager/license-manager/internal/testclock"
)

// storyResult is a step of the story as aws-sdk-go-v2 ended it.
func storyResult[T any](out *T, err error) storyReply[T] {
	if err != nil {
		return storyReply[T]{Error: storySDKError(err)}
	}
	return storyReply[T]{Reply: out}
}

// storyModeled tells, for each error code the story meets, whether an
// error is the SDK's modeled type for it.
var storyModeled = map[string]func(error) bool{
	"AccessDeniedException":          errorsAs[*lmtypes.AccessDeniedException],
	"AuthorizationException":         errorsAs[*lmtypes.AuthorizationException],
	"ConflictException":              errorsAs[*lmtypes.ConflictException],
	"NoEntitlementsAllowedException": errorsAs[*lmtypes.NoEntitlementsAllowedException],
	"ResourceNotFoundException":      errorsAs[*lmtypes.ResourceNotFoundException],
	"ValidationException":            errorsAs[*lmtypes.ValidationException],
	"InvalidIdentityToken":           errorsAs[*ststypes.InvalidIdentityTokenException],
}

func errorsAs[E error](err error) bool {
	var e E
	return errors.As(err, &e)
}

// storySDKError records an aws-sdk-go-v2 error as the boto3 script records
// a ClientError: Class is the Go type's name, Modeled whether errors.As
// finds the SDK's type for the code.
func storySDKError(err error) *boto3Error {
	e := &boto3Error{Message: err.Error()}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		e.Code, e.Message = ae.ErrorCode(), ae.ErrorMessage()
		e.Class = reflect.TypeOf(ae).Elem().Name()
		if as, ok := storyModeled[e.Code]; ok {
			e.Modeled = as(err)
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.HTTPStatusCode, e.RequestId = re.HTTPStatusCode(), re.ServiceRequestID()
	}
	return e
}

func storyAssume(t *testing.T, ts *testServer, access string) (storyReply[storyAssumed], *ststypes.Credentials) {
	t.Helper()
	out, err := flowSTS(t, ts, nil).AssumeRoleWithWebIdentity(t.Context(), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(roleR1), RoleSessionName: aws.String("s1"), WebIdentityToken: aws.String(access),
	})
	if err != nil {
		return storyReply[storyAssumed]{Error: storySDKError(err)}, nil
	}
	return storyReply[storyAssumed]{Reply: &storyAssumed{
		AccessKeyId: aws.ToString(out.Credentials.AccessKeyId), Arn: aws.ToString(out.AssumedRoleUser.Arn),
		AssumedRoleId:               aws.ToString(out.AssumedRoleUser.AssumedRoleId),
		SubjectFromWebIdentityToken: aws.ToString(out.SubjectFromWebIdentityToken),
		Audience:                    aws.ToString(out.Audience), Provider: aws.ToString(out.Provider),
	}}, out.Credentials
}

// storyConsumptionRecord reads a consumption from the server's store: what
// a dry run must leave alone is not visible through the API.
func storyConsumptionRecord(t *testing.T, ts *testServer, token string) store.Consumption {
	t.Helper()
	var c store.Consumption
	err := ts.inst.Store.ViewLicenses(t.Context(), func(r store.LicenseReader) error {
		var err error
		c, err = r.Consumption(t.Context(), token)
		return err
	})
	if err != nil {
		t.Fatalf("read consumption %s: %v", token, err)
	}
	return c
}

// TestStoryGoSDK runs the story with aws-sdk-go-v2 on a server whose clock
// the test sets: the times of the replies are checked exactly, and the
// extension is made two minutes after the checkout.
func TestStoryGoSDK(t *testing.T) {
	t.Parallel()
	// Within SigV4's five minutes of skew of the clients' real clocks.
	clock := testclock.New(time.Now().UTC().Truncate(time.Second))
	start := clock.Now()
	ts, _ := openStoryServer(t, t.TempDir(), clock.Now)
	ctx := t.Context()
	seller, buyer := storySellerClient(t, ts), newSDKClient(t, ts)
	var rec storyRecord

	rec.Created = storyResult(seller.CreateLicense(ctx, storyLicenseInput(storySKU, "story-sdk-license")))
	rec.CreatedOther = storyResult(seller.CreateLicense(ctx, storyLicenseInput(storyOtherSKU, "story-sdk-other")))
	rec.CreateReplayed = storyResult(seller.CreateLicense(ctx, storyLicenseInput(storySKU, "story-sdk-license")))
	lic := aws.ToString(storyOK(t, "create license", rec.Created).LicenseArn)
	other := aws.ToString(storyOK(t, "create the other license", rec.CreatedOther).LicenseArn)
	rec.Received = storyResult(buyer.ListReceivedLicenses(ctx, &licensemanager.ListReceivedLicensesInput{
		Filters: []lmtypes.Filter{{Name: aws.String("IssuerName"), Values: []string{storyIssuerName}}},
	}))
	rec.Issued = storyResult(seller.ListLicenses(ctx, &licensemanager.ListLicensesInput{
		Filters: []lmtypes.Filter{{Name: aws.String("ProductSKU"), Values: []string{storySKU}}},
	}))
	rec.Token = storyResult(buyer.CreateToken(ctx, &licensemanager.CreateTokenInput{
		LicenseArn: aws.String(lic), RoleArns: []string{roleR1}, ClientToken: aws.String("story-sdk-token"),
	}))
	refresh := aws.ToString(storyOK(t, "create token", rec.Token).Token)

	software := flowAnonymousLM(t, ts)
	getAccess := &licensemanager.GetAccessTokenInput{Token: aws.String(refresh)}
	rec.Access = storyResult(software.GetAccessToken(ctx, getAccess))
	access := aws.ToString(storyOK(t, "get access token", rec.Access).AccessToken)
	var creds *ststypes.Credentials
	rec.Assumed, creds = storyAssume(t, ts, access)
	storyOK(t, "assume role with web identity", rec.Assumed)
	temp := newSDKClient(t, ts, func(o *licensemanager.Options) { o.Credentials = flowCreds(creds) })

	rec.License = storyResult(temp.GetLicense(ctx, &licensemanager.GetLicenseInput{LicenseArn: aws.String(lic)}))
	fingerprint := storyOK(t, "get license", rec.License).License.Issuer.KeyFingerprint
	rec.Checkout = storyResult(temp.CheckoutLicense(ctx, &licensemanager.CheckoutLicenseInput{
		ProductSKU: aws.String(storySKU), CheckoutType: lmtypes.CheckoutTypeProvisional, KeyFingerprint: fingerprint,
		Entitlements: []lmtypes.EntitlementData{storySeat},
		NodeId:       aws.String("node-1"), ClientToken: aws.String("story-sdk-checkout"),
	}))
	consumption := storyOK(t, "checkout", rec.Checkout).LicenseConsumptionToken
	usage := func() storyReply[licensemanager.GetLicenseUsageOutput] {
		return storyResult(temp.GetLicenseUsage(ctx, &licensemanager.GetLicenseUsageInput{LicenseArn: aws.String(lic)}))
	}
	rec.UsageCheckedOut = usage()
	rec.Version2 = storyResult(seller.CreateLicenseVersion(ctx, storyVersion2Input(lic)))

	clock.Add(2 * time.Minute)
	rec.ExtendDryRun = storyResult(temp.ExtendLicenseConsumption(ctx, &licensemanager.ExtendLicenseConsumptionInput{
		LicenseConsumptionToken: consumption, DryRun: true,
	}))
	afterDryRun := storyConsumptionRecord(t, ts, aws.ToString(consumption)).ExpiresAt
	rec.Extend = storyResult(temp.ExtendLicenseConsumption(ctx, &licensemanager.ExtendLicenseConsumptionInput{
		LicenseConsumptionToken: consumption,
	}))
	afterExtend := storyConsumptionRecord(t, ts, aws.ToString(consumption)).ExpiresAt
	checkIn := &licensemanager.CheckInLicenseInput{LicenseConsumptionToken: consumption}
	rec.CheckIn = storyResult(temp.CheckInLicense(ctx, checkIn))
	rec.UsageCheckedIn = usage()
	rec.CheckInAgain = storyResult(temp.CheckInLicense(ctx, checkIn))

	rec.CheckoutOther = storyResult(temp.CheckoutLicense(ctx, &licensemanager.CheckoutLicenseInput{
		ProductSKU: aws.String(storyOtherSKU), CheckoutType: lmtypes.CheckoutTypeProvisional, KeyFingerprint: fingerprint,
		Entitlements: []lmtypes.EntitlementData{storySeat}, ClientToken: aws.String("story-sdk-checkout-other"),
	}))
	rec.GetOther = storyResult(temp.GetLicense(ctx, &licensemanager.GetLicenseInput{LicenseArn: aws.String(other)}))

	rec.Borrow = storyResult(temp.CheckoutBorrowLicense(ctx, &licensemanager.CheckoutBorrowLicenseInput{
		LicenseArn: aws.String(lic), Entitlements: []lmtypes.EntitlementData{storySeat, storyReports},
		DigitalSignatureMethod: lmtypes.DigitalSignatureMethodJwtPs384, NodeId: aws.String("laptop-7"),
		CheckoutMetadata: storyBorrowMetadata, ClientToken: aws.String("story-sdk-borrow"),
	}))
	rec.UsageBorrowed = usage()

	rec.DeleteToken = storyResult(buyer.DeleteToken(ctx, &licensemanager.DeleteTokenInput{TokenId: rec.Token.Reply.TokenId}))
	rec.AccessAfterDelete = storyResult(software.GetAccessToken(ctx, getAccess))
	rec.AssumeAfterDelete, _ = storyAssume(t, ts, access)

	storyCheck(t, ts, rec)

	// The clock makes every time exact: the checkout at start, the
	// extension two minutes later for version 2's 120 minutes.
	extendedAt := start.Add(2 * time.Minute)
	for _, c := range []struct {
		what string
		got  *string
		want time.Time
	}{
		{"CreateTime", storyOK(t, "get license", rec.License).License.CreateTime, start},
		{"checkout IssuedAt", rec.Checkout.Reply.IssuedAt, start},
		{"checkout Expiration", rec.Checkout.Reply.Expiration, start.Add(time.Hour)},
		{"dry run Expiration", storyOK(t, "extend, dry run", rec.ExtendDryRun).Expiration, extendedAt.Add(2 * time.Hour)},
		{"extend Expiration", storyOK(t, "extend", rec.Extend).Expiration, extendedAt.Add(2 * time.Hour)},
		{"borrow IssuedAt", rec.Borrow.Reply.IssuedAt, extendedAt},
	} {
		if got := storyTime(t, c.what, c.got); !got.Equal(c.want) {
			t.Errorf("%s = %v, want %v", c.what, got, c.want)
		}
	}
	if !afterDryRun.Equal(start.Add(time.Hour)) || !afterExtend.Equal(extendedAt.Add(2*time.Hour)) {
		t.Errorf("the stored expiry was %v after the dry run and %v after the extension, want %v (unchanged) and %v",
			afterDryRun, afterExtend, start.Add(time.Hour), extendedAt.Add(2*time.Hour))
	}

	// The temporary credentials ended with their token; the seller deletes
	// the license, which the buyer then sees DELETED and can make no token
	// for.
	_, err := temp.GetLicense(ctx, &licensemanager.GetLicenseInput{LicenseArn: aws.String(lic)})
	if code := flowErrorCode(err); code != "UnrecognizedClientException" {
		t.Errorf("GetLicense with the temporary credentials after DeleteToken: err = %v, want UnrecognizedClientException", err)
	}
	del, err := seller.DeleteLicense(ctx, &licensemanager.DeleteLicenseInput{
		LicenseArn: aws.String(lic), SourceVersion: aws.String("2"),
	})
	if err != nil {
		t.Fatalf("DeleteLicense: %v", err)
	}
	if del.Status != lmtypes.LicenseDeletionStatusDeleted || !storyTime(t, "DeletionDate", del.DeletionDate).Equal(extendedAt) {
		t.Errorf("DeleteLicense = %s %s, want DELETED at %v", del.Status, aws.ToString(del.DeletionDate), extendedAt)
	}
	got, err := buyer.ListReceivedLicenses(ctx, &licensemanager.ListReceivedLicensesInput{LicenseArns: []string{lic}})
	if err != nil || len(got.Licenses) != 1 || got.Licenses[0].Status != lmtypes.LicenseStatusDeleted ||
		got.Licenses[0].ReceivedMetadata.ReceivedStatus != lmtypes.ReceivedStatusDeleted ||
		aws.ToString(got.Licenses[0].Version) != "2" {
		t.Errorf("ListReceivedLicenses of the deleted license: %v, %+v; want version 2 DELETED, received DELETED", err, got)
	}
	_, err = buyer.CreateToken(ctx, &licensemanager.CreateTokenInput{
		LicenseArn: aws.String(lic), ClientToken: aws.String("story-sdk-deleted"),
	})
	var notFound *lmtypes.ResourceNotFoundException
	if !errors.As(err, &notFound) || !strings.Contains(notFound.ErrorMessage(), "not available to account "+account) {
		t.Errorf("CreateToken for the deleted license: err = %v, want ResourceNotFoundException", err)
	}
	// A retry of the first CreateToken, inside its 10 minutes, still gets
	// the reply the first request got.
	retry, err := buyer.CreateToken(ctx, &licensemanager.CreateTokenInput{
		LicenseArn: aws.String(lic), RoleArns: []string{roleR1}, ClientToken: aws.String("story-sdk-token"),
	})
	if err != nil || aws.ToString(retry.Token) != refresh {
		t.Errorf("CreateToken retry after the license was deleted = %v; want the first reply", err)
	}
}
