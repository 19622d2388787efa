// Package dav talks to the CardDAV and CalDAV server the owner's phone
// already syncs with (iCloud, Nextcloud, Radicale, Baïkal, Fastmail, any
// RFC 6352 / RFC 4791 server): it finds the address books and calendars,
// reads what changed, and writes back only over what it last read. It knows
// nothing of Rapport's database; the sync use case in package app does.
//
// It uses github.com/emersion/go-webdav, whose writes send no preconditions:
// every PUT and DELETE here goes through conditional, an HTTP client that
// adds If-Match (or If-None-Match: * for a new object) from the request's
// context and turns the server's answers into the errors below.
package dav

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"syscall"
	"time"

	"github.com/emersion/go-vcard"
	"github.com/emersion/go-webdav"
	"github.com/emersion/go-webdav/caldav"
	"github.com/emersion/go-webdav/carddav"
)

// Errors a sync names to the owner in plain words.
var (
	// ErrConflict: the object changed on the server since it was read
	// (HTTP 412). Nothing was written; the owner decides.
	ErrConflict = errors.New("changed on the phone's side since the last sync")
	// ErrUnauthorized: the server refused the user name or password.
	ErrUnauthorized = errors.New("the server refused the user name or password")
	// ErrUnreachable: no answer (no network, wrong address, time-out, the
	// connection dropped).
	ErrUnreachable = errors.New("the server cannot be reached")
	// ErrNotDAV: the address answers, but not as a CardDAV server.
	ErrNotDAV = errors.New("no address book service found at this address")
	// ErrGone: the card or event is not (or no longer) on the server; the
	// error it is wrapped in names which.
	ErrGone = errors.New("no longer on the phone's server")
)

// RejectedError is a write the server refused (a card it will not store).
type RejectedError struct {
	Status  string // "415 Unsupported Media Type"
	Message string // what the server said, if it said anything short
}

func (e *RejectedError) Error() string {
	if e.Message != "" {
		return "the server refused it: " + e.Status + ": " + e.Message
	}
	return "the server refused it: " + e.Status
}

// Account is where and as whom to connect.
type Account struct {
	URL      string // https://dav.example.com/, or just example.com
	User     string
	Password string
}

// Collection is an address book or a calendar on the server.
type Collection struct {
	Path string // the server's path, ending in "/"
	Name string // the name the owner gave it
}

// Object is one card on the server, with the ETag it was read at.
type Object struct {
	Path string
	ETag string
	Card vcard.Card
	Raw  []byte // the card's text as the server sent it (Card only)
}

// Client is a connection to one account's address books and calendars.
type Client struct {
	base  *url.URL
	http  *conditional
	cards *carddav.Client
	dav   *webdav.Client
	cal   *caldav.Client // see calendars
}

// Timeout bounds every request: a server that hangs is named, not waited on
// for ever. A connection takes the value it has when dialled (tests shorten
// it, before they dial).
var Timeout = 30 * time.Second

// Dial connects to the account and checks that it is a CardDAV server,
// finding the service from just a domain through RFC 6764 well-known URLs.
func Dial(ctx context.Context, acct Account) (*Client, error) {
	base, err := baseURL(acct.URL)
	if err != nil {
		return nil, err
	}
	hc := &conditional{inner: &http.Client{Timeout: Timeout, CheckRedirect: keepAuth}, user: acct.User, password: acct.Password}
	c := &Client{base: base, http: hc}
	if base.Path == "" || base.Path == "/" {
		// RFC 6764: the well-known URL redirects to the context path.
		if p, err := c.wellKnown(ctx); err == nil {
			base.Path = p
		} else if errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrUnreachable) {
			return nil, err
		}
	}
	if c.cards, err = carddav.NewClient(hc, base.String()); err != nil {
		return nil, fmt.Errorf("connect %s: %w", base.Redacted(), err)
	}
	if c.dav, err = webdav.NewClient(hc, base.String()); err != nil {
		return nil, fmt.Errorf("connect %s: %w", base.Redacted(), err)
	}
	return c, nil
}

func baseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("no server address given")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not a server address (like https://dav.example.com/)", raw)
	}
	u.User = nil // the password goes in the Authorization header only
	return u, nil
}

// keepAuth lets a redirect on the same host keep the Authorization header
// Go drops by default only across hosts; it refuses long chains.
func keepAuth(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("too many redirects")
	}
	return nil
}

func (c *Client) wellKnown(ctx context.Context) (string, error) {
	u := *c.base
	u.Path = "/.well-known/carddav"
	req, err := http.NewRequestWithContext(ctx, "PROPFIND", u.String(), strings.NewReader(
		`<?xml version="1.0"?><propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>`))
	if err != nil {
		return "", err
	}
	req.Header.Set("Depth", "0")
	req.Header.Set("Content-Type", "application/xml")
	// The redirect is read, not followed: Go follows a 301 with GET, and a
	// GET of the context path lands on the server's web page.
	once := &conditional{inner: &http.Client{Timeout: Timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}, user: c.http.user, password: c.http.password}
	resp, err := once.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	switch {
	case resp.StatusCode/100 == 3:
		loc, err := resp.Location()
		if err != nil {
			return "", fmt.Errorf("%s: %s without a location", u.Path, resp.Status)
		}
		if loc.Host != c.base.Host {
			return "", fmt.Errorf("%s: redirected to another server %s", u.Path, loc.Host)
		}
		return loc.Path, nil
	case resp.StatusCode/100 == 2:
		return u.Path, nil
	}
	return "", fmt.Errorf("%s: %s", u.Path, resp.Status)
}

// AddressBooks lists the user's address books.
func (c *Client) AddressBooks(ctx context.Context) ([]Collection, error) {
	principal, err := c.cards.FindCurrentUserPrincipal(ctx)
	if err != nil {
		return nil, c.explain("find the user", err)
	}
	home, err := c.cards.FindAddressBookHomeSet(ctx, principal)
	if err != nil {
		return nil, c.explain("find the address books", err)
	}
	books, err := c.cards.FindAddressBooks(ctx, home)
	if err != nil {
		return nil, c.explain("list the address books", err)
	}
	out := make([]Collection, 0, len(books))
	for _, b := range books {
		name := b.Name
		if name == "" {
			name = path.Base(strings.TrimSuffix(b.Path, "/"))
		}
		out = append(out, Collection{Path: b.Path, Name: name})
	}
	return out, nil
}

// ETags lists every card of an address book with its ETag, without the
// cards themselves: what the incremental sync compares where the server
// lacks sync-collection.
func (c *Client) ETags(ctx context.Context, book string) (map[string]string, error) {
	infos, err := c.dav.ReadDir(ctx, book, false)
	if err != nil {
		return nil, c.explain("list "+book, err)
	}
	out := make(map[string]string, len(infos))
	for _, fi := range infos {
		if fi.IsDir {
			continue
		}
		out[fi.Path] = bareETag(fi.ETag)
	}
	return out, nil
}

// Changes asks the server what changed in an address book since token
// (RFC 6578; "" for everything). ok is false where the server does not
// support it or forgot the token: the caller then compares ETags.
func (c *Client) Changes(ctx context.Context, book, token string) (changed map[string]string, deleted []string, next string, ok bool, err error) {
	resp, err := c.cards.SyncCollection(ctx, book, &carddav.SyncQuery{SyncToken: token, DataRequest: carddav.AddressDataRequest{AllProp: false}})
	if err != nil {
		if errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrUnreachable) {
			return nil, nil, "", false, c.explain("ask "+book+" what changed", err)
		}
		return nil, nil, "", false, nil // not supported, or an expired token
	}
	changed = make(map[string]string, len(resp.Updated))
	for _, o := range resp.Updated {
		changed[o.Path] = bareETag(o.ETag)
	}
	return changed, resp.Deleted, resp.SyncToken, true, nil
}

// Cards reads the cards at paths (one multiget REPORT per 200).
func (c *Client) Cards(ctx context.Context, book string, paths []string) ([]Object, error) {
	var out []Object
	for start := 0; start < len(paths); start += 200 {
		batch := paths[start:min(start+200, len(paths))]
		objs, err := c.cards.MultiGetAddressBook(ctx, book, &carddav.AddressBookMultiGet{
			Paths:       batch,
			DataRequest: carddav.AddressDataRequest{AllProp: true},
		})
		if err != nil {
			return out, c.explain("read cards of "+book, err)
		}
		for _, o := range objs {
			out = append(out, Object{Path: o.Path, ETag: bareETag(o.ETag), Card: o.Card})
		}
	}
	return out, nil
}

// maxCardBytes bounds one card read whole: the vCard import's own bound.
const maxCardBytes = 32 << 20

// Card reads one card as the server keeps it, its text byte for byte; a
// card that is not there is ErrGone.
func (c *Client) Card(ctx context.Context, path string) (Object, error) {
	u := *c.base
	u.Path = path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Object{}, err
	}
	req.Header.Set("Accept", vcard.MIMEType)
	resp, err := c.http.Do(req)
	if err != nil {
		return Object{}, c.explain("read "+path, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return Object{}, fmt.Errorf("read %s: %w", path, ErrGone)
	case resp.StatusCode/100 != 2:
		return Object{}, fmt.Errorf("read %s on %s: %s", path, c.base.Host, resp.Status)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxCardBytes+1))
	if err != nil {
		return Object{}, c.explain("read "+path, fmt.Errorf("%w: %v", ErrUnreachable, err))
	}
	if len(raw) > maxCardBytes {
		return Object{}, fmt.Errorf("read %s: larger than %d MiB", path, maxCardBytes>>20)
	}
	card, err := vcard.NewDecoder(bytes.NewReader(raw)).Decode()
	if err != nil {
		return Object{}, fmt.Errorf("read %s: not a vCard: %w", path, err)
	}
	return Object{Path: path, ETag: bareETag(resp.Header.Get("ETag")), Card: card, Raw: raw}, nil
}

// Put writes a card. With etag it replaces the card only if the server
// still holds that version (else ErrConflict); without, it creates the card
// only if path is free. It returns the card's new ETag, "" if the server
// did not say (read it back then).
func (c *Client) Put(ctx context.Context, path string, card vcard.Card, etag string) (string, error) {
	obj, err := c.cards.PutAddressObject(withPrecondition(ctx, etag), path, card)
	if err != nil {
		return "", c.explain("write "+path, err)
	}
	return bareETag(obj.ETag), nil
}

// Delete removes a card if the server still holds the version etag
// (else ErrConflict); a card already gone is ErrGone.
func (c *Client) Delete(ctx context.Context, path, etag string) error {
	if err := c.dav.RemoveAll(withPrecondition(ctx, etag), path); err != nil {
		var rejected *RejectedError
		if errors.As(err, &rejected) && strings.HasPrefix(rejected.Status, "404") {
			return fmt.Errorf("delete %s: %w", path, ErrGone)
		}
		return c.explain("delete "+path, err)
	}
	return nil
}

// explain keeps the sentinel errors and words the rest.
func (c *Client) explain(what string, err error) error {
	switch {
	case errors.Is(err, ErrConflict), errors.Is(err, ErrUnauthorized), errors.Is(err, ErrUnreachable):
		return fmt.Errorf("%s: %w", what, err)
	}
	var rejected *RejectedError
	if errors.As(err, &rejected) {
		return fmt.Errorf("%s: %w", what, err)
	}
	if strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "405") {
		return fmt.Errorf("%s on %s: %w (%v)", what, c.base.Host, ErrNotDAV, err)
	}
	return fmt.Errorf("%s on %s: %w", what, c.base.Host, err)
}

type preconditionKey struct{}

// withPrecondition marks the writes made with ctx as conditional on etag.
func withPrecondition(ctx context.Context, etag string) context.Context {
	return context.WithValue(ctx, preconditionKey{}, precondition{etag: etag})
}

type precondition struct{ etag string }

// conditional is the HTTP client under go-webdav: it authenticates, adds the
// precondition a write was given, and turns status codes into errors.
type conditional struct {
	inner    *http.Client
	user     string
	password string
}

func (h *conditional) Do(req *http.Request) (*http.Response, error) {
	if h.user != "" || h.password != "" {
		req.SetBasicAuth(h.user, h.password)
	}
	write := req.Method == http.MethodPut || req.Method == http.MethodDelete
	if p, ok := req.Context().Value(preconditionKey{}).(precondition); ok && write {
		if p.etag != "" {
			req.Header.Set("If-Match", quoteETag(p.etag))
		} else {
			req.Header.Set("If-None-Match", "*")
		}
	}
	resp, err := h.send(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		if req.Method == http.MethodPut && brokenWhileSending(err) {
			return nil, &RejectedError{Status: "connection closed while sending",
				Message: fmt.Sprintf("the server closed the connection while the card (%d KB) was being sent; it may refuse cards this large", (req.ContentLength+1023)/1024)}
		}
		return nil, fmt.Errorf("%w: %v", ErrUnreachable, unwrapURLError(err, h.inner.Timeout))
	}
	switch {
	case resp.StatusCode == http.StatusPreconditionFailed:
		resp.Body.Close()
		return nil, ErrConflict
	case resp.StatusCode == http.StatusUnauthorized:
		resp.Body.Close()
		return nil, ErrUnauthorized
	case write && (resp.StatusCode/100 == 4 || resp.StatusCode == http.StatusInternalServerError):
		// A card the server will not store (or fails on): that card's
		// refusal. A server unavailable (502, 503, 504) is the sync's.
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return nil, &RejectedError{Status: resp.Status, Message: firstLine(string(msg))}
	}
	return resp, nil
}

// sendAttempts is how often a PUT is sent when the server closes the
// connection while its body is still going out.
const sendAttempts = 3

// send does the request. A server that refuses a card by its
// Content-Length (413) answers and closes before the body is read; Go's
// transport then reports either that answer or the broken pipe, whichever
// it sees first (golang/go#11745). The body is sent again, as a PUT with its
// precondition may be, so the answer is seen in all but the unluckiest case.
func (h *conditional) send(req *http.Request) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		resp, err := h.inner.Do(req)
		if err == nil || attempt == sendAttempts || req.Method != http.MethodPut ||
			req.GetBody == nil || !brokenWhileSending(err) || req.Context().Err() != nil {
			return resp, err
		}
		body, gerr := req.GetBody()
		if gerr != nil {
			return resp, err
		}
		req = req.Clone(req.Context())
		req.Body = body
		time.Sleep(time.Duration(attempt) * 50 * time.Millisecond)
	}
}

// brokenWhileSending tells a connection the server closed while the
// request was still being written from one that dropped before an answer.
func brokenWhileSending(err error) bool {
	if errors.Is(err, syscall.EPIPE) {
		return true
	}
	for ; err != nil; err = errors.Unwrap(err) {
		if op, ok := err.(*net.OpError); ok && (op.Op == "write" || op.Op == "readfrom") {
			return true
		}
	}
	return false
}

// unwrapURLError words why a request got no answer.
func unwrapURLError(err error, timeout time.Duration) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		var ne net.Error
		switch {
		case errors.As(ue.Err, &ne) && ne.Timeout():
			return fmt.Errorf("no answer within %v", timeout)
		case errors.Is(ue.Err, io.EOF), errors.Is(ue.Err, io.ErrUnexpectedEOF), errors.Is(ue.Err, syscall.ECONNRESET):
			return errors.New("the connection dropped before the server answered")
		}
		return ue.Err
	}
	return err
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// bareETag is an ETag without its quotes, however the server or go-webdav
// passed it on: ETags are compared as given here.
func bareETag(etag string) string {
	weak := strings.HasPrefix(etag, "W/")
	etag = strings.Trim(strings.TrimPrefix(etag, "W/"), `"`)
	if weak {
		return `W/"` + etag + `"`
	}
	return etag
}

// quoteETag gives an ETag the quotes HTTP wants: go-webdav hands them out
// unquoted.
func quoteETag(etag string) string {
	if strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, `W/"`) {
		return etag
	}
	return `"` + etag + `"`
}
