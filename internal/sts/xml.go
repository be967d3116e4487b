package sts

import (
	"encoding/xml"
	"net/http"
	"time"

	"github.com/license-manager/license-manager/internal/awsjson"
)

// The reply shapes of the query protocol: the action's result wrapped in
// <ActionResult>, followed by ResponseMetadata.
// https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#response-serialization

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

type assumeRoleWithWebIdentityResponse struct {
	XMLName          xml.Name                        `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleWithWebIdentityResponse"`
	Result           assumeRoleWithWebIdentityResult `xml:"AssumeRoleWithWebIdentityResult"`
	ResponseMetadata responseMetadata                `xml:"ResponseMetadata"`
}

type assumeRoleWithWebIdentityResult struct {
	SubjectFromWebIdentityToken string          `xml:"SubjectFromWebIdentityToken"`
	Audience                    string          `xml:"Audience"`
	AssumedRoleUser             assumedRoleUser `xml:"AssumedRoleUser"`
	Credentials                 credentials     `xml:"Credentials"`
	Provider                    string          `xml:"Provider"`
}

type assumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	Arn           string `xml:"Arn"`
}

type credentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	// Expiration is an ISO 8601 date-time in UTC, whole seconds
	// (2006-01-02T15:04:05Z), as STS writes it.
	Expiration string `xml:"Expiration"`
}

type getCallerIdentityResponse struct {
	XMLName          xml.Name                `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetCallerIdentityResponse"`
	Result           getCallerIdentityResult `xml:"GetCallerIdentityResult"`
	ResponseMetadata responseMetadata        `xml:"ResponseMetadata"`
}

type getCallerIdentityResult struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

type errorResponse struct {
	XMLName   xml.Name  `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
	Error     errorBody `xml:"Error"`
	RequestID string    `xml:"RequestId"`
}

type errorBody struct {
	// Type is Sender for the caller's mistakes and Receiver for the
	// server's faults.
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// timeFormat is how STS writes timestamps.
const timeFormat = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// encodeReply serializes a reply shape with the request id filled in.
func encodeReply(reply any, requestID string) []byte {
	switch r := reply.(type) {
	case *assumeRoleWithWebIdentityResponse:
		r.ResponseMetadata.RequestID = requestID
	case *getCallerIdentityResponse:
		r.ResponseMetadata.RequestID = requestID
	}
	return marshal(reply)
}

// ErrorResponse returns the HTTP status and the STS XML body of e, the
// wire error also used by the JSON API:
//
//	<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
//	  <Error><Type>Sender</Type><Code>...</Code><Message>...</Message></Error>
//	  <RequestId>...</RequestId>
//	</ErrorResponse>
//
// The server uses it for errors it finds before Serve runs (a missing or
// bad signature on an STS request), so that STS clients can read them.
// https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization
func ErrorResponse(requestID string, e *awsjson.Error) (status int, body []byte) {
	typ := "Sender"
	if e.Fault {
		typ = "Receiver"
	}
	status = e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	return status, marshal(&errorResponse{
		Error:     errorBody{Type: typ, Code: e.Code, Message: e.Message},
		RequestID: requestID,
	})
}

func marshal(v any) []byte {
	body, err := xml.Marshal(v)
	if err != nil {
		// Every reply shape holds strings only; encoding/xml escapes
		// whatever they contain.
		panic("sts: encode reply: " + err.Error())
	}
	return body
}
