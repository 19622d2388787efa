package dav_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-vcard"
	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/app/dav/davtest"
)

func card(uid, name, tel string) vcard.Card {
	c := vcard.Card{}
	c.SetValue(vcard.FieldVersion, "3.0")
	c.SetValue(vcard.FieldUID, uid)
	c.SetValue(vcard.FieldFormattedName, name)
	c.SetName(&vcard.Name{FamilyName: name})
	c.AddValue(vcard.FieldTelephone, tel)
	return c
}

func dial(t *testing.T, srv *davtest.Server, password string) *dav.Client {
	t.Helper()
	c, err := dav.Dial(t.Context(), dav.Account{URL: srv.URL + "/", User: srv.User, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestConditionalWrites: every write carries the version it read; a card
// changed by the phone in between is a conflict, never overwritten.
func TestConditionalWrites(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "shop")
	ctx := t.Context()
	c := dial(t, srv, srv.Password)

	books, err := c.AddressBooks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(books) != 1 || books[0].Path != book || books[0].Name != "shop" {
		t.Fatalf("address books from the bare server address: %+v, want %s", books, book)
	}

	path := book + "anna.vcf"
	etag, err := c.Put(ctx, path, card("anna-1", "Anna Schmidt", "+49 30 1234567"), "")
	if err != nil {
		t.Fatal(err)
	}
	if etag == "" {
		t.Fatal("no ETag for a new card")
	}
	// Creating it again is refused: it is there now.
	if _, err := c.Put(ctx, path, card("anna-1", "Anna Other", "+49 30 1"), ""); !errors.Is(err, dav.ErrConflict) {
		t.Fatalf("second create of %s: %v, want ErrConflict", path, err)
	}

	// The phone edits the card; our write at the old version is refused.
	phoneETag := srv.Put(t, path, vcard.MIMEType, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anna-1\r\nFN:Anna Schmidt-Berg\r\nN:Schmidt-Berg;Anna;;;\r\nEND:VCARD\r\n")
	if _, err := c.Put(ctx, path, card("anna-1", "Anna Schmidt", "+49 30 7654321"), etag); !errors.Is(err, dav.ErrConflict) {
		t.Fatalf("write over the phone's edit: %v, want ErrConflict", err)
	}
	if err := c.Delete(ctx, path, etag); !errors.Is(err, dav.ErrConflict) {
		t.Fatalf("delete of an edited card: %v, want ErrConflict", err)
	}
	objs, err := c.Cards(ctx, book, []string{path})
	if err != nil || len(objs) != 1 {
		t.Fatalf("read back: %v %v", objs, err)
	}
	if got := objs[0].Card.PreferredValue(vcard.FieldFormattedName); got != "Anna Schmidt-Berg" {
		t.Fatalf("after refused writes the server holds %q, want the phone's edit", got)
	}
	if objs[0].ETag != strings.Trim(phoneETag, `"`) {
		t.Errorf("ETag read %q, server said %q", objs[0].ETag, phoneETag)
	}
	// At the version just read, the write goes through.
	newTag, err := c.Put(ctx, path, card("anna-1", "Anna Schmidt-Berg", "+49 30 7654321"), objs[0].ETag)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, path, newTag); err != nil {
		t.Fatal(err)
	}
	if n := srv.Objects(t, book); len(n) != 0 {
		t.Fatalf("server still holds %v after the delete", n)
	}
}

// TestChanges: the incremental sync sees the phone's additions, edits and
// deletions since the last token, and the ETag listing agrees.
func TestChanges(t *testing.T) {
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	ctx := t.Context()
	c := dial(t, srv, srv.Password)
	for _, n := range []string{"a", "b", "c"} {
		srv.Put(t, book+n+".vcf", vcard.MIMEType, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:"+n+"\r\nFN:Person "+n+"\r\nN:"+n+";;;;\r\nEND:VCARD\r\n")
	}
	changed, deleted, token, ok, err := c.Changes(ctx, book, "")
	if err != nil || !ok {
		t.Fatalf("first sync-collection: ok %v err %v", ok, err)
	}
	if len(changed) != 3 || len(deleted) != 0 || token == "" {
		t.Fatalf("first: %d changed %v deleted, token %q", len(changed), deleted, token)
	}
	srv.Put(t, book+"b.vcf", vcard.MIMEType, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b\r\nFN:Person B edited\r\nN:b;;;;\r\nEND:VCARD\r\n")
	srv.Delete(t, book+"c.vcf")
	changed, deleted, _, ok, err = c.Changes(ctx, book, token)
	if err != nil || !ok {
		t.Fatalf("second sync-collection: ok %v err %v", ok, err)
	}
	if _, isB := changed[book+"b.vcf"]; len(changed) != 1 || !isB {
		t.Errorf("changed since the token: %v, want only b", changed)
	}
	if !slices.Equal(deleted, []string{book + "c.vcf"}) {
		t.Errorf("deleted since the token: %v, want c", deleted)
	}
	tags, err := c.ETags(ctx, book)
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != 2 || tags[book+"a.vcf"] == "" || tags[book+"b.vcf"] == "" {
		t.Errorf("ETag listing: %v", tags)
	}
	// A token the server never gave: not an error, the caller compares ETags.
	if _, _, _, ok, err := c.Changes(ctx, book, "http://radicale.org/ns/sync/nonsense"); err != nil || ok {
		t.Errorf("unknown token: ok %v err %v, want a quiet fallback", ok, err)
	}
}

// TestFailuresNamed: a wrong password and a server that is gone are told
// apart, in words.
func TestFailuresNamed(t *testing.T) {
	srv := davtest.Start(t)
	srv.AddAddressBook(t, "contacts")
	ctx := t.Context()
	_, err := dav.Dial(ctx, dav.Account{URL: srv.URL, User: srv.User, Password: "wrong"})
	if err == nil {
		c := dial(t, srv, "wrong")
		_, err = c.AddressBooks(ctx)
	}
	if !errors.Is(err, dav.ErrUnauthorized) {
		t.Fatalf("wrong password: %v, want ErrUnauthorized", err)
	}
	c := dial(t, srv, srv.Password)
	srv.Stop()
	_, err = c.AddressBooks(ctx)
	if !errors.Is(err, dav.ErrUnreachable) || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("server down: %v, want ErrUnreachable", err)
	}
	srv.Restart(t)
	if _, err := c.AddressBooks(ctx); err != nil {
		t.Fatalf("after the server came back: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.AddressBooks(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}
