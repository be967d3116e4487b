package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCredentialProcessEndpoints checks where credential-process sends each
// of its two calls, for every source of an endpoint the aws CLI knows.
func TestCredentialProcessEndpoints(t *testing.T) {
	credentialEnv(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", "")
	cfg := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(cfg, []byte(`[profile split]
services = split-services

[services split-services]
sts =
  endpoint_url = http://sts.example:1
license_manager =
  endpoint_url = http://lm.example:2

[profile base]
endpoint_url = http://base.example:3

[profile stsonly]
services = stsonly-services

[services stsonly-services]
sts =
  endpoint_url = http://sts.example:4
`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)

	for _, tc := range []struct {
		name     string
		flag     string
		profile  string
		env      map[string]string
		lm, stsE string
	}{
		{"nothing: the embedded store", "", "", nil, "", ""},
		{"--endpoint-url for both", "http://flag:9", "split", map[string]string{"AWS_ENDPOINT_URL_STS": "http://env-sts:8"}, "http://flag:9", "http://flag:9"},
		{"AWS_ENDPOINT_URL for both", "", "", map[string]string{"AWS_ENDPOINT_URL": "http://env:7"}, "http://env:7", "http://env:7"},
		{"service variables win over AWS_ENDPOINT_URL", "", "", map[string]string{
			"AWS_ENDPOINT_URL": "http://env:7", "AWS_ENDPOINT_URL_STS": "http://env-sts:8", "AWS_ENDPOINT_URL_LICENSE_MANAGER": "http://env-lm:6",
		}, "http://env-lm:6", "http://env-sts:8"},
		{"only STS has one: License Manager uses it", "", "", map[string]string{"AWS_ENDPOINT_URL_STS": "http://env-sts:8"}, "http://env-sts:8", "http://env-sts:8"},
		{"only License Manager has one: STS uses it", "", "", map[string]string{"AWS_ENDPOINT_URL_LICENSE_MANAGER": "http://env-lm:6"}, "http://env-lm:6", "http://env-lm:6"},
		{"the profile's services section", "", "split", nil, "http://lm.example:2", "http://sts.example:1"},
		{"the profile's endpoint_url", "", "base", nil, "http://base.example:3", "http://base.example:3"},
		{"a services section for STS only", "", "stsonly", nil, "http://sts.example:4", "http://sts.example:4"},
		{"the environment wins over the profile", "", "split", map[string]string{"AWS_ENDPOINT_URL_LICENSE_MANAGER": "http://env-lm:6"}, "http://env-lm:6", "http://sts.example:1"},
	} {
		g := globals{endpointURL: tc.flag, profile: tc.profile, set: map[string]bool{}}
		env := Env{Getenv: func(k string) string { return tc.env[k] }}
		for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_LICENSE_MANAGER"} {
			// The SDK's loader reads the process environment as well.
			t.Setenv(k, tc.env[k])
		}
		lm, stsE, region, err := credentialProcessEndpoints(t.Context(), g, env)
		if err != nil || lm != tc.lm || stsE != tc.stsE || region != "us-east-1" {
			t.Errorf("%s: endpoints %q %q region %q err %v, want %q %q us-east-1", tc.name, lm, stsE, region, err, tc.lm, tc.stsE)
		}
	}
}
