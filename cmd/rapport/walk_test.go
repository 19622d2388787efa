//go:build unix

package main

import (
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/dav/davtest"
)

// TestWalkSearch: the list, the search and a card, read off the real screen.
func TestWalkSearch(t *testing.T) {
	d := newDesk(t, 1280, 800)
	d.cli("demo")
	d.open()
	d.see("list", 10*time.Second, "Ahmed Hassan", "Hugo Martin")
	d.key("ctrl+f")
	d.typeText("Hugo")
	d.see("searched", 5*time.Second, "Hugo Martin")
	d.notSee("searched-only-hugo", "Ahmed Hassan")
	d.click("Hugo Martin")
	d.shot("card")
	// On a small screen the list and the card still read.
	d.resize(800, 600)
	d.see("small-window", 5*time.Second, "Hugo Martin", "Martin Bakery")
	d.quit()
}

// TestWalkPhoneSync: File → Phone Sync… shows the server set up on the
// command line; Sync now first shows the two cards new to Rapport, each
// to be added, and Enter brings them into the list.
func TestWalkPhoneSync(t *testing.T) {
	d := newDesk(t, 1280, 800)
	srv := davtest.Start(t)
	book := srv.AddAddressBook(t, "contacts")
	srv.Seed(t, book, map[string]string{
		"anna.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anna Schmidt\r\nN:Schmidt;Anna;;;\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n",
		"hugo.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\r\nFN:Hugo Martin\r\nN:Martin;Hugo;;;\r\nEND:VCARD\r\n",
	})
	d.env = setEnv(d.env, "RAPPORT_SYNC_PASSWORD", srv.Password)
	d.cli("sync", "--setup", srv.URL, "--user", srv.User)
	d.env = setEnv(d.env, "RAPPORT_SYNC_PASSWORD", "")
	d.open()
	d.click("File")
	d.click("Phone Sync")
	d.see("phone-sync-dialog", 10*time.Second, "Sync now", "Find address books")
	d.click("Sync now")
	d.see("preview", 20*time.Second, "cards new to Rapport", "2 new", "Anna Schmidt", "Hugo Martin", "Action")
	d.key("Return")
	d.see("synced", 20*time.Second, "2 added")
	d.click("Close")
	d.see("list-after-sync", 10*time.Second, "Anna Schmidt", "Hugo Martin")
	d.quit()
}
