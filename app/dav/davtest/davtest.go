// Package davtest starts a real CardDAV/CalDAV server (Debian's radicale)
// on a free loopback port for tests, with a throwaway user, the way
// model/pgtest starts PostgreSQL.
package davtest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Server is a running Radicale with one user.
type Server struct {
	URL      string // http://127.0.0.1:PORT (no path)
	User     string
	Password string
	root     string // collection-root
	cmd      *exec.Cmd
	exited   chan error
	config   string
	log      string
	bin      string
}

// Start runs Radicale for the test and stops it when the test ends. Without
// radicale on PATH the test is skipped, unless RAPPORT_REQUIRE_RADICALE=1
// (make test sets it), when it fails: CI must not pass by skipping.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWith(t, Options{})
}

// Options change the server's configuration.
type Options struct {
	// MaxContentLength is the largest request body the server takes, in
	// bytes (Radicale's max_content_length; 0 keeps its 100 MB): a larger
	// card is refused with 413, as a server's own limit refuses it.
	MaxContentLength int
}

// StartWith is Start with options.
func StartWith(t testing.TB, opts Options) *Server {
	t.Helper()
	bin, err := exec.LookPath("radicale")
	if err != nil {
		if os.Getenv("RAPPORT_REQUIRE_RADICALE") == "1" {
			t.Fatalf("radicale is not installed (make test-deps installs the Debian package): %v", err)
		}
		t.Skip("radicale is not installed; make test installs it")
	}
	dir := t.TempDir()
	s := &Server{User: "owner", Password: "counter-Pa55", root: filepath.Join(dir, "collections", "collection-root")}
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(s.User+":"+s.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	s.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	s.config = filepath.Join(dir, "config")
	s.log = filepath.Join(dir, "radicale.log")
	limit := ""
	if opts.MaxContentLength > 0 {
		limit = fmt.Sprintf("max_content_length = %d\n", opts.MaxContentLength)
	}
	conf := fmt.Sprintf(`[server]
hosts = 127.0.0.1:%d
%s[auth]
type = htpasswd
htpasswd_filename = %s
htpasswd_encryption = plain
delay = 0
[storage]
filesystem_folder = %s
[logging]
level = warning
`, port, limit, users, filepath.Join(dir, "collections"))
	if err := os.WriteFile(s.config, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	s.bin = bin
	s.start(t)
	t.Cleanup(func() { s.stop() })
	return s
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	logFile, err := os.Create(s.log)
	if err != nil {
		t.Fatal(err)
	}
	s.cmd = exec.Command(s.bin, "--config", s.config)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start radicale: %v", err)
	}
	logFile.Close()
	s.exited = make(chan error, 1)
	go func(c *exec.Cmd, done chan error) { done <- c.Wait() }(s.cmd, s.exited)
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(s.URL + "/.web/")
		if err == nil {
			resp.Body.Close()
			return
		}
		select {
		case err := <-s.exited:
			t.Fatalf("radicale exited: %v\n%s", err, s.Log())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("radicale not answering after 30 s: %v\n%s", err, s.Log())
		}
	}
}

func (s *Server) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

// Stop takes the server down (a server that went away mid-sync); Restart
// brings it back with the same data.
func (s *Server) Stop() { s.stop() }

// Restart starts the stopped server again on the same port.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.start(t)
}

// Log is what the server wrote.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

// AddAddressBook creates an address book of the user and returns its path
// ("/owner/name/").
func (s *Server) AddAddressBook(t testing.TB, name string) string {
	t.Helper()
	return s.addCollection(t, name, `{"tag": "VADDRESSBOOK", "D:displayname": "`+name+`"}`)
}

// AddCalendar creates a calendar for events and returns its path.
func (s *Server) AddCalendar(t testing.TB, name string) string {
	t.Helper()
	return s.addCollection(t, name, `{"tag": "VCALENDAR", "D:displayname": "`+name+`", "C:supported-calendar-component-set": "VEVENT"}`)
}

func (s *Server) addCollection(t testing.TB, name, props string) string {
	dir := filepath.Join(s.root, s.User, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".Radicale.props"), []byte(props), 0o600); err != nil {
		t.Fatal(err)
	}
	return "/" + s.User + "/" + name + "/"
}

// Objects lists the file names (vCards, events) stored in a collection, as
// the server holds them on disk: what a phone syncing with it would see.
func (s *Server) Objects(t testing.TB, collection string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.root, filepath.FromSlash(strings.Trim(collection, "/"))))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names
}

// do sends one request as the user and returns the response; the caller
// closes its body.
func (s *Server) do(t testing.TB, method, path, contentType, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(s.User, s.Password)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// Put stores a vCard or iCalendar text directly, as the phone would: with
// an HTTP PUT of the user. It returns the new ETag.
func (s *Server) Put(t testing.TB, path, contentType, body string) string {
	t.Helper()
	resp := s.do(t, http.MethodPut, path, contentType, body)
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b := bufio.NewScanner(resp.Body)
		b.Scan()
		t.Fatalf("PUT %s: %s %s", path, resp.Status, b.Text())
	}
	return resp.Header.Get("ETag")
}

// TryPut is Put that returns the status instead of failing on a refusal.
func (s *Server) TryPut(t testing.TB, path, contentType, body string) int {
	t.Helper()
	resp := s.do(t, http.MethodPut, path, contentType, body)
	resp.Body.Close()
	return resp.StatusCode
}

// Delete removes an object as the phone would.
func (s *Server) Delete(t testing.TB, path string) {
	t.Helper()
	resp := s.do(t, http.MethodDelete, path, "", "")
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("DELETE %s: %s", path, resp.Status)
	}
}

// Seed writes cards straight into the server's storage, as if a phone had
// synced them long ago: thousands in a moment, where PUTs take minutes.
// cards maps a file name ("anna.vcf") to its vCard text.
func (s *Server) Seed(t testing.TB, collection string, cards map[string]string) {
	t.Helper()
	dir := filepath.Join(s.root, filepath.FromSlash(strings.Trim(collection, "/")))
	for name, text := range cards {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// Get reads an object as the phone would and returns its text.
func (s *Server) Get(t testing.TB, path string) string {
	t.Helper()
	resp := s.do(t, http.MethodGet, path, "", "")
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", path, resp.Status, err)
	}
	return string(b)
}

// Upload replaces a collection's content with cards, as Radicale's own
// upload does, leaving out the cards the server refuses: each group of 32
// is tried in a scratch address book first, and a refused group halved
// until each refused card stands alone. It returns the cards kept, in
// order.
func (s *Server) Upload(t testing.TB, collection, contentType string, cards []string) []string {
	t.Helper()
	scratch := s.AddAddressBook(t, "upload-scratch")
	var valid func(part []string) []string
	valid = func(part []string) []string {
		if len(part) == 0 {
			return nil
		}
		if code := s.TryPut(t, scratch, contentType, strings.Join(part, "")); code/100 == 2 {
			return part
		}
		if len(part) == 1 {
			return nil
		}
		half := len(part) / 2
		return append(valid(part[:half]), valid(part[half:])...)
	}
	var kept []string
	for start := 0; start < len(cards); start += 32 {
		kept = append(kept, valid(cards[start:min(start+32, len(cards))])...)
	}
	if code := s.TryPut(t, collection, contentType, strings.Join(kept, "")); code/100 != 2 {
		t.Fatalf("upload of %d cards to %s: %d", len(kept), collection, code)
	}
	return kept
}

// Warm has the server compute what a collection's sync state needs (the
// ETags, the sync token): a Radicale whose files were just written takes
// seconds for that once, which a server a phone syncs with has long done.
func (s *Server) Warm(t testing.TB, collection string) {
	t.Helper()
	for _, body := range []string{
		`<?xml version="1.0"?><sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/></prop></sync-collection>`,
		`<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>`,
	} {
		method := "PROPFIND"
		if strings.HasPrefix(body, `<?xml version="1.0"?><sync`) {
			method = "REPORT"
		}
		req, err := http.NewRequest(method, s.URL+collection, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(s.User, s.Password)
		req.Header.Set("Depth", "1")
		req.Header.Set("Content-Type", "application/xml")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMultiStatus {
			t.Fatalf("%s %s: %s", method, collection, resp.Status)
		}
	}
}
