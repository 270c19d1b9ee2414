// Package analyse is the static half of LeadMiner's privacy promise:
// nothing leaves the machine except through the egress gate
// (leadminer/backend/egress) or the mail-protocol client the user
// configured (leadminer/backend/source/imap). Check reads the module's Go
// source and reports every place outside the allowed packages that names
// something which opens a network connection, serves one, or builds an HTTP
// client. A test in this package runs it over the repository, so `make test`
// fails when such a reference appears anywhere else.
//
// It is an analyser over the syntax tree, not a grep: each identifier is
// resolved through its file's import table, so a renamed import
// (web "net/http"), a dot import (. "net/http") or a captured function value
// (f := net.Dial) is seen, while a local variable that happens to be called
// http is not mistaken for the package. It does not type-check (that would
// mean loading cgo and third-party dependencies), which sets its limits:
//
//   - Only names are seen. A value whose type is never written in our source
//     is invisible: a third-party function that returns an *http.Client (or
//     dials inside itself) and a method called on its result. The rule table
//     lists the entry points of the network libraries we might use; a
//     dependency that reaches the network by itself is outside it.
//   - Methods are matched through their type's name only: oauth2.Config's
//     Exchange, Client and TokenSource make requests, but a Config is also
//     plain data, so only oauth2.NewClient and oauth2.Transport are flagged.
//   - Other processes are out of sight: os/exec running curl, a URL handed to
//     the system browser, a helper reached over D-Bus.
//   - What is below Go source is out of sight: C through cgo, assembly,
//     //go:linkname to a runtime or net internal, unsafe, reflect on a value
//     obtained elsewhere, a socket file descriptor inherited or passed in
//     (net.FileConn).
//   - What the allowed packages export is trusted: a dial function they hand
//     out is their responsibility, reviewed there.
//   - Build constraints are ignored (every non-test file is read, for every
//     platform), _test.go files are not read (tests talk to local servers),
//     and neither are directories the go command ignores (testdata, vendor,
//     names starting with . or _), node_modules, the Wails frontend at the
//     root, or symlinked directories. A file that does not parse is an error,
//     not a pass.
package analyse

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Finding is one place that reaches the network outside the allowed packages.
type Finding struct {
	Pos     string // file:line:col, the file relative to the root, with slashes
	Package string // import path of the package the file belongs to
	What    string // e.g. "calls net/http.Get", "constructs net/http.Client"
}

func (f Finding) String() string { return f.Pos + ": " + f.Package + " " + f.What }

// rule names what, in one package, reaches the network.
type rule struct {
	path   string   // import path
	name   string   // the package's own name: the local name of a plain import
	idents []string // exported identifiers; "*" is every one
	why    string
}

// rules is the table Check enforces. An identifier is listed when naming it
// is the way to reach the network: a function that dials, resolves or
// listens, a type whose zero value or literal is a dialer or an HTTP client,
// a variable holding one. What merely describes or wraps a connection made
// elsewhere (net.Conn, net.IP, http.Request, http.RoundTripper as an
// interface, tls.Client over a given conn, imapclient.New) is left out: it
// needs one of the listed names somewhere to be reached.
var rules = []rule{
	{"net", "net", []string{
		"Dial", "DialTimeout", "DialTCP", "DialUDP", "DialIP", "DialUnix", "Dialer",
		"Resolver", "DefaultResolver",
		"LookupHost", "LookupIP", "LookupAddr", "LookupCNAME", "LookupMX", "LookupNS", "LookupSRV", "LookupTXT", "LookupPort",
		"Listen", "ListenTCP", "ListenConfig", "ListenPacket", "ListenUDP", "ListenIP", "ListenMulticastUDP",
	}, "dialing opens a connection; a lookup is a DNS query that names the host to the resolver; " +
		"a listener serves other machines, and a datagram socket sends with WriteTo without any Dial"},
	{"net/http", "http", []string{
		"Get", "Head", "Post", "PostForm",
		"Client", "Transport", "DefaultClient", "DefaultTransport",
		"ListenAndServe", "ListenAndServeTLS", "Server",
	}, "the package-level helpers send a request through DefaultClient; a Client or Transport is what sends " +
		"(NewRequest only builds one, RoundTripper is an interface middleware and tests implement); a Server listens"},
	{"net/http/httputil", "httputil", []string{"ReverseProxy", "NewSingleHostReverseProxy"},
		"a reverse proxy forwards requests to another host"},
	{"crypto/tls", "tls", []string{"Dial", "DialWithDialer", "Dialer", "Listen"},
		"dials or listens itself (tls.Client and tls.Server only wrap a connection made elsewhere)"},
	{"net/smtp", "smtp", []string{"Dial", "SendMail", "NewClient"}, "sends mail"},
	{"net/rpc", "rpc", []string{"Dial", "DialHTTP", "DialHTTPPath"}, "dials an RPC server"},
	{"net/rpc/jsonrpc", "jsonrpc", []string{"Dial"}, "dials an RPC server"},
	{"syscall", "syscall", []string{"Socket", "Connect"}, "a raw socket is a connection without package net"},
	{"golang.org/x/sys/unix", "unix", []string{"Socket", "Connect"}, "a raw socket is a connection without package net"},
	{"golang.org/x/net/proxy", "proxy", []string{"*"}, "the whole package exists to dial through proxies"},
	{"golang.org/x/net/websocket", "websocket", []string{"Dial", "DialConfig"}, "dials a WebSocket"},
	{"github.com/gorilla/websocket", "websocket", []string{"Dial", "DefaultDialer", "Dialer"}, "dials a WebSocket"},
	{"nhooyr.io/websocket", "websocket", []string{"Dial"}, "dials a WebSocket"},
	{"github.com/coder/websocket", "websocket", []string{"Dial"}, "dials a WebSocket (nhooyr.io/websocket's new home)"},
	{"github.com/emersion/go-imap/v2/imapclient", "imapclient", []string{"DialTLS", "DialStartTLS", "DialInsecure"},
		"dials an IMAP server itself (New and NewStartTLS take a connection made elsewhere)"},
	{"github.com/emersion/go-smtp", "smtp", []string{"Dial", "DialTLS", "DialStartTLS"}, "dials an SMTP server"},
	{"golang.org/x/oauth2", "oauth2", []string{"NewClient", "Transport"},
		"an HTTP client that adds tokens (Config.Exchange, Config.Client and the token sources also make requests " +
			"but are methods, invisible without types: see the package comment)"},
	{"golang.org/x/oauth2/clientcredentials", "clientcredentials", []string{"*"},
		"the package exists to fetch tokens from a token endpoint"},
}

// ruleByPath indexes rules by import path.
var ruleByPath = func() map[string]rule {
	m := make(map[string]rule, len(rules))
	for _, r := range rules {
		m[r.path] = r
	}
	return m
}()

func (r rule) matches(ident string) bool {
	if !token.IsExported(ident) {
		return false
	}
	return slices.Contains(r.idents, "*") || slices.Contains(r.idents, ident)
}

// Check parses every non-test .go file of the module rooted at root
// (skipping testdata, vendor, node_modules, frontend) and returns the
// findings in packages not in allowed (import paths, matched exactly: a
// subpackage of an allowed package is not allowed by it).
//
// Each directory is a package. Its import path is the module path read
// from root/go.mod joined with the directory's path below root; without a
// go.mod it is the directory's slash path relative to root ("." for root).
// A directory below root with its own go.mod starts a nested module, whose
// files are read too, under that module's path. Findings are sorted by
// file, line and column.
func Check(root string, allowed []string) ([]Finding, error) {
	modPath, err := readModulePath(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	type module struct{ dir, path string } // dir relative to root, slash-separated
	mods := []module{{".", modPath}}
	importPath := func(rel string) string {
		m := mods[0] // the innermost module containing rel
		for _, c := range mods[1:] {
			if (rel == c.dir || strings.HasPrefix(rel, c.dir+"/")) && (m.dir == "." || len(c.dir) > len(m.dir)) {
				m = c
			}
		}
		sub := rel
		if m.dir != "." {
			sub = strings.TrimPrefix(strings.TrimPrefix(rel, m.dir), "/")
			if sub == "" {
				sub = "."
			}
		}
		switch {
		case m.path == "":
			return sub
		case sub == ".":
			return m.path
		default:
			return m.path + "/" + sub
		}
	}

	fset := token.NewFileSet()
	var found []finding
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			if skipDir(name) || rel == "frontend" {
				return filepath.SkipDir
			}
			mp, err := readModulePath(filepath.Join(p, "go.mod"))
			if err != nil {
				return err
			}
			if mp != "" {
				mods = append(mods, module{rel, mp})
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// Mode 0 keeps the parser's object resolution: it tells which
		// identifiers are bound to a declaration in this file, and leaves
		// package names and dot-imported names unresolved.
		f, err := parser.ParseFile(fset, rel, src, 0)
		if err != nil {
			return fmt.Errorf("analyse: %w", err)
		}
		pkg := importPath(path.Dir(rel))
		if slices.Contains(allowed, pkg) {
			return nil
		}
		for _, fd := range checkFile(fset, f) {
			fd.pkg = pkg
			found = append(found, fd)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(found, func(a, b finding) int {
		if c := strings.Compare(a.pos.Filename, b.pos.Filename); c != 0 {
			return c
		}
		if a.pos.Line != b.pos.Line {
			return a.pos.Line - b.pos.Line
		}
		if a.pos.Column != b.pos.Column {
			return a.pos.Column - b.pos.Column
		}
		return strings.Compare(a.what, b.what)
	})
	out := make([]Finding, len(found))
	for i, fd := range found {
		out[i] = Finding{Pos: fd.pos.String(), Package: fd.pkg, What: fd.what}
	}
	return out, nil
}

// skipDir reports the directories the go command ignores, and the npm ones.
func skipDir(name string) bool {
	return name == "testdata" || name == "vendor" || name == "node_modules" ||
		strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// readModulePath returns the module path declared in the go.mod at p, or ""
// when there is no such file.
func readModulePath(p string) (string, error) {
	data, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) != 2 || fields[0] != "module" {
			continue
		}
		mp := fields[1]
		if strings.HasPrefix(mp, `"`) || strings.HasPrefix(mp, "`") {
			if mp, err = strconv.Unquote(mp); err != nil {
				return "", fmt.Errorf("analyse: %s: bad module path %s", p, fields[1])
			}
		}
		return mp, nil
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("analyse: %s: no module line", p)
}

type finding struct {
	pos  token.Position
	pkg  string
	what string
}

// checkFile returns the references to rule identifiers in one file.
func checkFile(fset *token.FileSet, f *ast.File) []finding {
	// The file's import table: local name → rule, and the dot imports.
	named := map[string]rule{}
	var dotted []rule
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		r, ok := ruleByPath[p]
		if !ok {
			continue
		}
		switch {
		case imp.Name == nil:
			named[r.name] = r
		case imp.Name.Name == "_":
			// Linked in for its init only; nothing of it can be named.
		case imp.Name.Name == ".":
			dotted = append(dotted, r)
		default:
			named[imp.Name.Name] = r
		}
	}
	if len(named) == 0 && len(dotted) == 0 {
		return nil
	}

	// Identifiers that are names being declared or field and label names,
	// never references to a dot-imported identifier; and how an expression
	// is used, for the wording of a finding.
	notRef := map[*ast.Ident]bool{f.Name: true}
	role := map[ast.Expr]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			notRef[n.Name] = true // a method's name is resolved to nothing
		case *ast.SelectorExpr:
			notRef[n.Sel] = true
		case *ast.Field:
			for _, id := range n.Names {
				notRef[id] = true
			}
		case *ast.CompositeLit:
			role[unwrap(n.Type)] = "constructs"
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						notRef[id] = true // a struct field name
					}
				}
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "new" && id.Obj == nil && len(n.Args) == 1 {
				role[unwrap(n.Args[0])] = "constructs"
			} else if _, set := role[unwrap(n.Fun)]; !set {
				role[unwrap(n.Fun)] = "calls"
			}
		case *ast.LabeledStmt:
			notRef[n.Label] = true
		case *ast.BranchStmt:
			if n.Label != nil {
				notRef[n.Label] = true
			}
		case *ast.ImportSpec:
			if n.Name != nil {
				notRef[n.Name] = true
			}
		}
		return true
	})

	var out []finding
	report := func(e ast.Expr, r rule, ident string) {
		verb := role[e]
		if verb == "" {
			verb = "refers to"
		}
		out = append(out, finding{pos: fset.Position(e.Pos()), what: verb + " " + r.path + "." + ident})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			// pkg.Ident, where pkg is an import's local name and not a
			// declaration in scope that shadows it.
			if x, ok := n.X.(*ast.Ident); ok && x.Obj == nil {
				if r, ok := named[x.Name]; ok {
					if r.matches(n.Sel.Name) {
						report(n, r, n.Sel.Name)
					}
					return false
				}
			}
		case *ast.Ident:
			// Ident alone: a dot-imported name, unless declared in this file
			// (a package-level declaration elsewhere in the package could not
			// share the name of a dot-imported one: the file would not compile).
			if n.Obj != nil || notRef[n] {
				return true
			}
			for _, r := range dotted {
				if r.matches(n.Name) {
					report(n, r, n.Name)
					break
				}
			}
		}
		return true
	})
	return out
}

// unwrap strips what does not change which name an expression uses:
// parentheses and type instantiation.
func unwrap(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		default:
			return e
		}
	}
}
