package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestCredentialsPath(t *testing.T) {
	c := FromEnv(env(map[string]string{EnvDataDir: "/srv/lm"}))
	if got := c.CredentialsPath(); got != filepath.Join("/srv/lm", "credentials") {
		t.Errorf("default CredentialsPath = %q", got)
	}
	c = FromEnv(env(map[string]string{EnvDataDir: "/srv/lm", EnvCredentials: "/etc/lm/keys"}))
	if c.Credentials != "/etc/lm/keys" || c.CredentialsPath() != "/etc/lm/keys" {
		t.Errorf("with %s: Credentials %q, CredentialsPath %q", EnvCredentials, c.Credentials, c.CredentialsPath())
	}
}

// Every request is authenticated, so any address may be listened on.
func TestValidateListen(t *testing.T) {
	for _, listen := range []string{"127.0.0.1:8080", "0.0.0.0:8080", "[::]:0", "[::1]:8443", "example.com:80", ":8080"} {
		c := Default(env(nil))
		c.DataDir, c.Listen = "/srv/lm", listen
		if err := c.Validate(); err != nil {
			t.Errorf("Validate with --listen %s: %v", listen, err)
		}
	}
	c := Default(env(nil))
	c.DataDir, c.Listen = "/srv/lm", "8080"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), `listen address "8080"`) {
		t.Errorf("Validate with --listen 8080: %v", err)
	}
}
