package dav

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
)

// closingServer answers like a server that refuses a card by its size: the
// first refusals lose the race to the broken pipe (as golang/go#11745 lets
// them under load), then the 413 gets through.
type closingServer struct {
	broken int      // how many requests end in a broken pipe
	bodies []int    // the body length of each request, as it arrived
	method []string // each request's method
}

func (s *closingServer) RoundTrip(req *http.Request) (*http.Response, error) {
	n := 0
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		n = len(b)
	}
	s.bodies = append(s.bodies, n)
	s.method = append(s.method, req.Method)
	if len(s.bodies) <= s.broken {
		pipe := &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}
		return nil, &net.OpError{Op: "readfrom", Net: "tcp", Err: pipe}
	}
	return &http.Response{StatusCode: 413, Status: "413 Request Entity Too Large",
		Body: io.NopCloser(strings.NewReader("too large")), Request: req}, nil
}

func put(t *testing.T, srv *closingServer, method string) error {
	t.Helper()
	h := &conditional{inner: &http.Client{Transport: srv}}
	card := bytes.Repeat([]byte("x"), 70_000)
	req, err := http.NewRequestWithContext(withPrecondition(context.Background(), ""), method, "http://dav.test/c/1.vcf", bytes.NewReader(card))
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.Do(req)
	return err
}

func TestRefusalSeenThroughABrokenPipe(t *testing.T) {
	srv := &closingServer{broken: 2}
	err := put(t, srv, http.MethodPut)
	var rejected *RejectedError
	if !errors.As(err, &rejected) || rejected.Status != "413 Request Entity Too Large" {
		t.Fatalf("got %v, want the server's 413", err)
	}
	if len(srv.bodies) != 3 || srv.bodies[2] != 70_000 {
		t.Fatalf("sent bodies %v, want the whole card on the third try", srv.bodies)
	}
}

func TestCardAlwaysCutOffIsRefusedNotUnreachable(t *testing.T) {
	srv := &closingServer{broken: 99}
	err := put(t, srv, http.MethodPut)
	var rejected *RejectedError
	if !errors.As(err, &rejected) || errors.Is(err, ErrUnreachable) ||
		!strings.Contains(err.Error(), "closed the connection while the card (69 KB) was being sent") {
		t.Fatalf("got %v", err)
	}
	if len(srv.bodies) != sendAttempts {
		t.Fatalf("%d tries, want %d", len(srv.bodies), sendAttempts)
	}
}

func TestReadsAreNotRepeated(t *testing.T) {
	srv := &closingServer{broken: 99}
	err := put(t, srv, "PROPFIND")
	if !errors.Is(err, ErrUnreachable) || len(srv.bodies) != 1 {
		t.Fatalf("got %v after %d tries, want one try and unreachable", err, len(srv.bodies))
	}
}
