package token

import (
	"testing"
	"time"
)

// BenchmarkSign measures signing alone: the part of CreateToken's time
// spent on ES256.
func BenchmarkSign(b *testing.B) {
	key, err := NewKey(ES256)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().Unix()
	claims := Claims{
		Issuer: "http://127.0.0.1:8080", Subject: "123456789012",
		Audience: "arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef",
		AMR:      []string{"env=prod", IssuerAccountPrefix + "123456789012"},
		RoleARNs: []string{"arn:aws:iam::123456789012:role/App"}, TokenUse: UseRefresh,
		IssuedAt: now, NotBefore: now, Expiry: now + 365*86400, ID: "0123456789abcdef0123456789abcdef",
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sign(key, claims); err != nil {
			b.Fatal(err)
		}
	}
}
