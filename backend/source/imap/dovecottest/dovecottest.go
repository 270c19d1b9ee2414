// Package dovecottest starts a real Dovecot IMAP server for tests, as
// CI does: without systemd, on loopback, mail owned by nobody (Debian's
// dovecot-imapd; see ../shared/reference/toolchain.md §7). Tests that need
// it call Start; without dovecot or root they fail when
// LEADMINER_REQUIRE_DOVECOT is set (make test sets it) and skip otherwise.
package dovecottest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Options shape the server.
type Options struct {
	// Users maps login to password.
	Users map[string]string
	// CertHosts are the names in the server's self-signed certificate
	// (default "localhost").
	CertHosts []string
	// MaxConnections is mail_max_userip_connections (default 10).
	MaxConnections int
	// OAuth2IntrospectionURL, when set, adds an oauth2 passdb (XOAUTH2 and
	// OAUTHBEARER) that asks this URL about tokens.
	OAuth2IntrospectionURL string
	// Separator is the namespace's hierarchy separator (default "/").
	Separator string
}

// Server is a running Dovecot.
type Server struct {
	Dir string
	// Port serves plaintext and STARTTLS; TLSPort implicit TLS.
	Port    int
	TLSPort int
	// CertPEM is the server certificate, for clients that pin or trust it.
	CertPEM []byte
	Cert    *x509.Certificate
	conf    string
	uid     int
	gid     int
}

// Binary is where Debian installs dovecot.
const Binary = "/usr/sbin/dovecot"

// Available says whether a real Dovecot can be started here.
func Available() error {
	if _, err := os.Stat(Binary); err != nil {
		return fmt.Errorf("dovecot is not installed (apt-get install dovecot-imapd)")
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("dovecot tests run as root (the mail processes drop to nobody)")
	}
	return nil
}

// Start launches a Dovecot for the test and stops it at cleanup.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if err := Available(); err != nil {
		if os.Getenv("LEADMINER_REQUIRE_DOVECOT") != "" {
			t.Fatalf("dovecot required: %v", err)
		}
		t.Skip(err)
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	dir, err := os.MkdirTemp("", "dovecot-test-")
	if err != nil {
		t.Fatal(err)
	}
	// The mail processes run as nobody and must reach the mail directory.
	os.Chmod(dir, 0o755)
	s := &Server{Dir: dir, uid: uid, gid: gid, Port: freePort(t), TLSPort: freePort(t)}
	if opts.Users == nil {
		opts.Users = map[string]string{"alice@example.test": "alice-pass"}
	}
	if opts.Separator == "" {
		opts.Separator = "/"
	}
	if opts.MaxConnections == 0 {
		opts.MaxConnections = 10
	}
	if len(opts.CertHosts) == 0 {
		opts.CertHosts = []string{"localhost"}
	}
	s.writeCert(t, opts.CertHosts)
	for _, sub := range []string{"run", "state", "mail"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o755)
	}
	os.Chown(filepath.Join(dir, "mail"), uid, gid)
	var users strings.Builder
	for login, pass := range opts.Users {
		fmt.Fprintf(&users, "%s:{PLAIN}%s::::::\n", login, pass)
		s.ensureMaildir(t, login)
	}
	os.WriteFile(filepath.Join(dir, "users"), []byte(users.String()), 0o644)
	s.conf = filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(s.conf, []byte(s.config(opts)), 0o644); err != nil {
		t.Fatal(err)
	}
	if opts.OAuth2IntrospectionURL != "" {
		ext := "introspection_url = " + opts.OAuth2IntrospectionURL + "\nintrospection_mode = post\nforce_introspection = yes\n" +
			"username_attribute = username\nactive_attribute = active\nactive_value = true\n"
		os.WriteFile(filepath.Join(dir, "oauth2.conf.ext"), []byte(ext), 0o644)
	}
	// Output to a file, not a pipe: the daemon keeps its inherited
	// descriptors open, and reading a pipe would wait for it forever.
	out, err := os.Create(filepath.Join(dir, "start.out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(Binary, "-c", s.conf)
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	out.Close()
	if err != nil {
		b, _ := os.ReadFile(out.Name())
		t.Fatalf("start dovecot: %v\n%s\n%s", err, b, s.Log())
	}
	t.Cleanup(func() {
		exec.Command(Binary, "-c", s.conf, "stop").Run()
		// Give the master a moment to release the ports and files.
		time.Sleep(100 * time.Millisecond)
		os.RemoveAll(dir)
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.DialTimeout("tcp", s.Addr(), time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dovecot did not listen on %s: %v\n%s", s.Addr(), err, s.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

func (s *Server) config(opts Options) string {
	mechanisms := "plain login"
	oauth := ""
	if opts.OAuth2IntrospectionURL != "" {
		mechanisms += " xoauth2 oauthbearer"
		oauth = fmt.Sprintf("passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = %s/oauth2.conf.ext\n}\n", s.Dir)
	}
	return fmt.Sprintf(`base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
instance_name = leadminer-test-%[2]d
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = %[3]s
mail_location = maildir:%[1]s/mail/%%u/Maildir
mail_uid = nobody
mail_gid = %[4]d
first_valid_uid = 1
mail_max_userip_connections = %[5]d
namespace inbox {
  inbox = yes
  separator = %[8]s
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
}
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%%u %[1]s/users
}
%[6]s
userdb {
  driver = static
  args = uid=nobody gid=%[4]d home=%[1]s/mail/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[7]d
    ssl = yes
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`, s.Dir, s.Port, mechanisms, s.gid, opts.MaxConnections, oauth, s.TLSPort, opts.Separator)
}

// Addr is the plaintext/STARTTLS address.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// Log returns Dovecot's log so far (for failure messages).
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
	return string(b)
}

// Maildir is a user's mail root as Dovecot stores it.
func (s *Server) Maildir(login string) string {
	return filepath.Join(s.Dir, "mail", login, "Maildir")
}

func (s *Server) ensureMaildir(t testing.TB, login string) {
	for _, p := range []string{filepath.Join(s.Dir, "mail", login), s.Maildir(login)} {
		os.MkdirAll(p, 0o700)
		os.Chown(p, s.uid, s.gid)
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		p := filepath.Join(s.Maildir(login), sub)
		os.MkdirAll(p, 0o700)
		os.Chown(p, s.uid, s.gid)
	}
}

// folderDir maps a folder ("INBOX", "Archive/2023") to its Maildir++ path.
func (s *Server) folderDir(login, folder string) string {
	if folder == "INBOX" {
		return s.Maildir(login)
	}
	return filepath.Join(s.Maildir(login), "."+strings.ReplaceAll(folder, "/", "."))
}

// Deliver writes messages straight into a folder's Maildir (created if
// needed), owned by nobody, as a delivery agent would; Dovecot assigns UIDs
// when the folder is next opened.
func (s *Server) Deliver(t testing.TB, login, folder string, messages ...[]byte) {
	t.Helper()
	dir := s.folderDir(login, folder)
	for _, sub := range []string{"", "cur", "new", "tmp"} {
		p := filepath.Join(dir, sub)
		os.MkdirAll(p, 0o700)
		os.Chown(p, s.uid, s.gid)
	}
	if folder != "INBOX" {
		// Subscribe so that clients listing subscriptions see it too.
		f, err := os.OpenFile(filepath.Join(s.Maildir(login), "subscriptions"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintln(f, folder)
			f.Close()
			os.Chown(filepath.Join(s.Maildir(login), "subscriptions"), s.uid, s.gid)
		}
	}
	base := time.Now().UnixNano()
	for i, m := range messages {
		name := fmt.Sprintf("%d.M%dP%d.test:2,S", base/1e9, base%1e9+int64(i), os.Getpid())
		p := filepath.Join(dir, "cur", name)
		if err := os.WriteFile(p, m, 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chown(p, s.uid, s.gid)
	}
}

// ResetUIDValidity makes Dovecot renumber a folder, as a server rebuilding
// its index does: the UID list and indexes are deleted and the folder gets
// a new UIDVALIDITY the next time it is opened.
func (s *Server) ResetUIDValidity(t testing.TB, login, folder string) {
	t.Helper()
	dir := s.folderDir(login, folder)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "dovecot") {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	// UIDVALIDITY is time based: make sure the new one differs.
	time.Sleep(1100 * time.Millisecond)
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (s *Server) writeCert(t testing.TB, hosts []string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: hosts[0], Organization: []string{"LeadMiner test"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	s.Cert, _ = x509.ParseCertificate(der)
	s.CertPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(filepath.Join(s.Dir, "cert.pem"), s.CertPEM, 0o644)
	os.WriteFile(filepath.Join(s.Dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
}
