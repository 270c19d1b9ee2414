package imap

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	goimap "github.com/emersion/go-imap/v2"
)

// Kind is what went wrong, so the app can point at the field to fix.
type Kind string

const (
	KindCredentials       Kind = "credentials"
	KindAppPassword       Kind = "app-password"
	KindIMAPDisabled      Kind = "imap-disabled"
	KindHostNotFound      Kind = "host-not-found"
	KindRefused           Kind = "connection-refused"
	KindTimeout           Kind = "timeout"
	KindTLS               Kind = "tls"
	KindCertificate       Kind = "certificate"
	KindPlaintextRefused  Kind = "plaintext-refused"
	KindTooManyConnection Kind = "too-many-connections"
	KindToken             Kind = "token"
	KindConnection        Kind = "connection"
	KindServer            Kind = "server"
)

// Error is a failure explained for the user: what happened, which field of
// the account settings to fix, and the cause.
type Error struct {
	Kind    Kind
	Field   string // email, password, host, port, security, or ""
	Message string
	// Fingerprint is the server certificate's, for KindCertificate, so the
	// user can choose to trust it.
	Fingerprint string
	Err         error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + " (" + e.Err.Error() + ")"
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Fingerprint returns "sha256:HEX" for a certificate.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// classify turns a connection or login failure into an *Error.
func classify(cfg Config, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	var imapErr *goimap.Error
	if errors.As(err, &imapErr) {
		return classifyResponse(cfg, imapErr)
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && (dnsErr.IsNotFound || !dnsErr.IsTimeout) {
		return &Error{Kind: KindHostNotFound, Field: "host", Err: err,
			Message: fmt.Sprintf("The server %s was not found: check the host name", cfg.Host)}
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return &Error{Kind: KindRefused, Field: "port", Err: err,
			Message: fmt.Sprintf("%s refused the connection on port %d: check the port and the security setting", cfg.Host, cfg.Port)}
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return certificateError(cfg, certErr)
	}
	var recErr tls.RecordHeaderError
	if errors.As(err, &recErr) || strings.Contains(err.Error(), "tls:") {
		return &Error{Kind: KindTLS, Field: "security", Err: err,
			Message: fmt.Sprintf("Secure connection to %s:%d failed: the port and the security setting (SSL/TLS or STARTTLS) probably do not match", cfg.Host, cfg.Port)}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return &Error{Kind: KindTimeout, Field: "host", Err: err,
			Message: fmt.Sprintf("%s:%d did not answer in time: check the host, the port and your network", cfg.Host, cfg.Port)}
	}
	if isConnectionError(err) {
		return &Error{Kind: KindConnection, Field: "", Err: err,
			Message: fmt.Sprintf("The connection to %s was lost", cfg.Host)}
	}
	return err
}

func classifyResponse(cfg Config, e *goimap.Error) error {
	text := strings.ToLower(e.Text)
	switch {
	case strings.Contains(text, "application-specific password") || strings.Contains(text, "app password") ||
		strings.Contains(text, "web login required"):
		return &Error{Kind: KindAppPassword, Field: "password", Err: e,
			Message: "This account needs an application-specific password: create one in your provider's security settings and use it here"}
	case strings.Contains(text, "not enabled for imap") || strings.Contains(text, "imap access is disabled") ||
		strings.Contains(text, "logging in is disabled") || strings.Contains(text, "imap is disabled"):
		return &Error{Kind: KindIMAPDisabled, Field: "host", Err: e,
			Message: "IMAP access is turned off for this account: enable IMAP in your mail provider's settings"}
	case tooManyConnections(e):
		return &Error{Kind: KindTooManyConnection, Err: e,
			Message: "The server refuses more simultaneous connections"}
	case e.Code == goimap.ResponseCodeAuthenticationFailed || e.Code == goimap.ResponseCodeAuthorizationFailed ||
		strings.Contains(text, "invalid credentials") || strings.Contains(text, "authentication failed") ||
		strings.Contains(text, "login failed"):
		if cfg.Tokens != nil {
			return &Error{Kind: KindToken, Field: "", Err: e,
				Message: "The server refused the sign-in token: reconnect the account"}
		}
		return &Error{Kind: KindCredentials, Field: "password", Err: e,
			Message: "The server refused the user name or password: check them and try again"}
	}
	return &Error{Kind: KindServer, Err: e, Message: fmt.Sprintf("The server said: %s", e.Text)}
}

func tooManyConnections(e *goimap.Error) bool {
	text := strings.ToLower(e.Text)
	return e.Code == goimap.ResponseCodeLimit || strings.Contains(text, "too many") ||
		strings.Contains(text, "maximum number of connections") || strings.Contains(text, "simultaneous connections")
}

func certificateError(cfg Config, certErr *tls.CertificateVerificationError) error {
	e := &Error{Kind: KindCertificate, Field: "security", Err: certErr}
	var leaf *x509.Certificate
	if len(certErr.UnverifiedCertificates) > 0 {
		leaf = certErr.UnverifiedCertificates[0]
		e.Fingerprint = Fingerprint(leaf)
	}
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	switch {
	case errors.As(certErr.Err, &hostErr) && leaf != nil:
		names := leaf.DNSNames
		for _, ip := range leaf.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) == 0 && leaf.Subject.CommonName != "" {
			names = []string{leaf.Subject.CommonName}
		}
		what := "The certificate of the server"
		if bytes.Equal(leaf.RawIssuer, leaf.RawSubject) && leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature) == nil {
			what = "The server's certificate is self-signed, and it"
		}
		e.Message = fmt.Sprintf("%s is not for %s but for %s: check the host name, or trust this certificate (%s) if you know it is your server's",
			what, cfg.Host, strings.Join(names, ", "), e.Fingerprint)
	case errors.As(certErr.Err, &authErr):
		e.Message = fmt.Sprintf("The certificate of %s is not signed by an authority this computer trusts (self-signed?): trust this certificate (%s) only if you know it is your server's",
			cfg.Host, e.Fingerprint)
	default:
		e.Message = fmt.Sprintf("The certificate of %s is not valid: %v", cfg.Host, certErr.Err)
	}
	return e
}

// isConnectionError reports a broken connection (worth reconnecting).
func isConnectionError(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind == KindConnection || e.Kind == KindTimeout || e.Kind == KindRefused
	}
	// go-imap flattens some read errors into text.
	s := err.Error()
	return strings.Contains(s, "connection reset") || strings.Contains(s, "broken pipe") ||
		strings.Contains(s, "use of closed network connection") || strings.Contains(s, "BYE") ||
		strings.Contains(s, "unexpected EOF") || strings.HasSuffix(s, "EOF")
}
