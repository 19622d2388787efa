package app

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/app/dav/davtest"
	"github.com/rapportjournal/rapport/model"
)

// noisyJPEG is a photo that compresses badly: about 100 KB.
func noisyJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 300))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range 300 {
		for x := range 300 {
			img.Set(x, y, color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPhoneSyncCardRefused: the server (Radicale with a 60 KB limit on a
// request) refuses the card of a contact with a large photo. The report
// names that contact in words, the other contacts reach the phone, and
// every next sync tries the card again, which goes once it fits.
func TestPhoneSyncCardRefused(t *testing.T) {
	srv := davtest.StartWith(t, davtest.Options{MaxContentLength: 60_000})
	book := srv.AddAddressBook(t, "contacts")
	s := newService(t)
	ctx := t.Context()
	if err := s.SetPhoneSyncSettings(ctx, PhoneSync{URL: srv.URL + "/", User: srv.User, AddressBook: book}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*model.Contact{
		{GivenName: "Anna", FamilyName: "Schmidt", Phones: []model.Phone{{Number: "+49 30 1234567"}}},
		{GivenName: "Bruno", FamilyName: "Large", Photo: noisyJPEG(t)},
		{GivenName: "Clara", FamilyName: "Hoffmann", Emails: []model.Email{{Address: "clara@example.com"}}},
	} {
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2 {
		rep := syncNow(t, s, srv, SyncOptions{})
		if len(rep.Refused) != 1 || rep.Refused[0].Name != "Bruno Large" {
			t.Fatalf("sync %d: refused %+v\n%s", i, rep.Refused, strings.Join(rep.Lines, "\n"))
		}
		lines := strings.Join(rep.Lines, "\n")
		if !strings.Contains(lines, "the server refused the card of Bruno Large (413 Request Entity Too Large") ||
			!strings.Contains(lines, "the next sync tries again") {
			t.Errorf("sync %d says:\n%s", i, lines)
		}
		if !strings.Contains(rep.Summary(), "1 card refused by the phone's server") {
			t.Errorf("sync %d summary: %s", i, rep.Summary())
		}
		if want := []int{2, 0}[i]; rep.ToPhoneAdded != want {
			t.Errorf("sync %d added %d to the phone, want %d", i, rep.ToPhoneAdded, want)
		}
		if n := len(srv.Objects(t, book)); n != 2 {
			t.Fatalf("sync %d: %d cards on the phone, want Anna's and Clara's", i, n)
		}
	}
	bruno := findContact(t, s, "Bruno Large")
	bruno.Photo = nil
	if err := s.SaveContact(ctx, bruno); err != nil {
		t.Fatal(err)
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if len(rep.Refused) != 0 || rep.ToPhoneAdded != 1 || len(srv.Objects(t, book)) != 3 {
		t.Fatalf("once it fits: %s", rep.Summary())
	}
}

// flakyProxy stands between Rapport and Radicale and, once armed, spoils
// one PUT: it stalls it (the server stores the card only once Rapport gave
// up waiting, so its answer never arrives) or drops the connection
// without passing it on.
type flakyProxy struct {
	target *url.URL
	proxy  *httputil.ReverseProxy
	mu     sync.Mutex
	stall  bool
	drop   bool
	puts   int
	spoil  int // the PUT to spoil, from 1; 0 for none
	stored chan struct{}
}

func newFlakyProxy(t *testing.T, srv *davtest.Server) (*flakyProxy, string) {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	f := &flakyProxy{target: target, proxy: httputil.NewSingleHostReverseProxy(target), stored: make(chan struct{}, 1)}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	return f, ts.URL
}

func (f *flakyProxy) arm(n int, stall bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.puts, f.spoil, f.stall, f.drop = 0, n, stall, !stall
}

func (f *flakyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	spoil, stall, drop := false, false, false
	if r.Method == http.MethodPut {
		f.mu.Lock()
		f.puts++
		spoil, stall, drop = f.puts == f.spoil, f.stall, f.drop
		f.mu.Unlock()
	}
	switch {
	case spoil && drop:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	case spoil && stall:
		body, _ := io.ReadAll(r.Body)
		<-r.Context().Done() // Rapport gave up
		req, _ := http.NewRequest(http.MethodPut, f.target.String()+r.URL.Path, bytes.NewReader(body))
		req.Header = r.Header.Clone()
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		f.stored <- struct{}{}
	default:
		f.proxy.ServeHTTP(w, r)
	}
}

// writeSix makes six contacts here for a sync to write to the phone.
func writeSix(t *testing.T, s *Service) {
	t.Helper()
	for i := range 6 {
		c := &model.Contact{GivenName: "Person", FamilyName: string(rune('A' + i)),
			Phones: []model.Phone{{Number: "+49 151 1000000" + string(rune('0'+i))}}}
		if err := s.CreateContact(t.Context(), c); err != nil {
			t.Fatal(err)
		}
	}
}

// afterFailure checks the state a failed sync left, then that the next
// sync completes: every contact on the phone once, none twice, none here
// twice, and a sync after it with nothing to do.
func afterFailure(t *testing.T, s *Service, srv *davtest.Server, book string) {
	t.Helper()
	if got := len(names(t, s)); got != 6 {
		t.Fatalf("the failed sync left %d contacts, want the 6", got)
	}
	links, err := s.store().DavLinks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 1 {
		t.Errorf("the failed sync linked %d contacts, want only the one the server answered for", len(links))
	}
	rep := syncNow(t, s, srv, SyncOptions{})
	if len(rep.Conflicts)+len(rep.Refused) != 0 {
		t.Errorf("the next sync: %s", rep.Summary())
	}
	if got := names(t, s); len(got) != 6 || len(slices.Compact(got)) != 6 {
		t.Errorf("contacts after the next sync: %v", got)
	}
	if n := len(srv.Objects(t, book)); n != 6 {
		t.Errorf("%d cards on the phone after the next sync, want 6", n)
	}
	again := syncNow(t, s, srv, SyncOptions{})
	if again.FromPhoneAdded+again.FromPhoneMerged+again.FromPhoneUpdated+again.ToPhoneAdded+again.ToPhoneUpdated != 0 {
		t.Errorf("a sync after that: %s\n%s", again.Summary(), strings.Join(again.Lines, "\n"))
	}
}

// TestPhoneSyncServerStalls: the server takes a card and gives no answer.
// The sync stops after the time-out saying so in words, having linked only
// what the server confirmed; the next sync finds the card the server kept
// after all, and completes without a duplicate on either side.
func TestPhoneSyncServerStalls(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	proxy, proxyURL := newFlakyProxy(t, srv)
	s := newService(t)
	if err := s.SetPhoneSyncSettings(t.Context(), PhoneSync{URL: proxyURL + "/", User: srv.User, AddressBook: book}); err != nil {
		t.Fatal(err)
	}
	writeSix(t, s)
	before := dav.Timeout
	dav.Timeout = time.Second
	t.Cleanup(func() { dav.Timeout = before })

	proxy.arm(2, true)
	_, err := s.SyncPhone(t.Context(), SyncOptions{Password: srv.Password, Region: "DE"})
	if !errors.Is(err, dav.ErrUnreachable) || !strings.Contains(err.Error(), "no answer within 1s") {
		t.Fatalf("sync with a server that stalls: %v", err)
	}
	<-proxy.stored
	if n := len(srv.Objects(t, book)); n != 2 {
		t.Fatalf("%d cards on the server, want the first and the stalled one", n)
	}
	proxy.arm(0, false)
	afterFailure(t, s, srv, book)
}

// TestPhoneSyncConnectionDropped: the connection drops while the sync
// writes its second card: the error says so, and the next sync completes.
func TestPhoneSyncConnectionDropped(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	proxy, proxyURL := newFlakyProxy(t, srv)
	s := newService(t)
	if err := s.SetPhoneSyncSettings(t.Context(), PhoneSync{URL: proxyURL + "/", User: srv.User, AddressBook: book}); err != nil {
		t.Fatal(err)
	}
	writeSix(t, s)
	proxy.arm(2, false)
	_, err := s.SyncPhone(t.Context(), SyncOptions{Password: srv.Password, Region: "DE"})
	if !errors.Is(err, dav.ErrUnreachable) || !strings.Contains(err.Error(), "the connection dropped") {
		t.Fatalf("sync with the connection dropped: %v", err)
	}
	if n := len(srv.Objects(t, book)); n != 1 {
		t.Fatalf("%d cards on the server, want the first only", n)
	}
	proxy.arm(0, false)
	afterFailure(t, s, srv, book)
}
