package cli

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// defaultTimeout is the aws CLI's default for --cli-connect-timeout and
// --cli-read-timeout.
const defaultTimeout = 60 * time.Second

// httpClient builds the client for requests to an endpoint from the
// transport options: --cli-connect-timeout and --cli-read-timeout (seconds,
// 0 for no limit), --ca-bundle or AWS_CA_BUNDLE (a PEM file of trusted
// certificates), and --no-verify-ssl.
func httpClient(g globals, env Env) (*http.Client, error) {
	connect, err := timeoutOption("--cli-connect-timeout", g.connectTimeout)
	if err != nil {
		return nil, err
	}
	read, err := timeoutOption("--cli-read-timeout", g.readTimeout)
	if err != nil {
		return nil, err
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	bundle := g.caBundle
	if bundle == "" {
		bundle = env.Getenv("AWS_CA_BUNDLE")
	}
	if bundle != "" {
		pem, err := os.ReadFile(bundle)
		if err != nil {
			return nil, &configError{Msg: fmt.Sprintf("Unable to read the CA bundle %s: %v", bundle, err)}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &configError{Msg: fmt.Sprintf("The CA bundle %s holds no PEM certificate", bundle)}
		}
		tlsConfig.RootCAs = pool
	}
	if g.noVerifySSL {
		tlsConfig.InsecureSkipVerify = true
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConfig
	transport.DialContext = (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext
	transport.TLSHandshakeTimeout = connect
	// The read timeout bounds the wait for the reply's headers; the body
	// of a License Manager reply is small.
	transport.ResponseHeaderTimeout = read
	return &http.Client{Transport: transport}, nil
}

// timeoutOption reads a number of seconds; empty means the default and 0
// means no limit.
func timeoutOption(name, v string) (time.Duration, error) {
	if v == "" {
		return defaultTimeout, nil
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs < 0 || secs > 1e6 {
		return 0, &usageErr{msg: fmt.Sprintf("argument %s: invalid value %q: want a number of seconds, 0 for no limit", name, v)}
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// usageErr is a global option with a value the command cannot use.
type usageErr struct{ msg string }

func (e *usageErr) Error() string { return e.msg }
