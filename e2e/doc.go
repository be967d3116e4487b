// Package e2e tests a real license-manager server on loopback with the
// clients users actually run against it: the aws CLI, boto3, the AWS SDK for
// Go v2, and third-party JOSE libraries (go-jose, joserfc, PyJWT) that verify
// its tokens against the served JWKS.
//
// The package holds only tests. A client that is not installed makes its
// test skip, naming the missing part, unless LICENSE_MANAGER_TEST_REQUIRE_ALL
// is 1 (as in CI), when it fails instead. Python helpers the tests run live
// in testdata/; they print JSON and the Go tests make every assertion.
package e2e
