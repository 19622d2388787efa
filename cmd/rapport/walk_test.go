//go:build unix

package main

import (
	"testing"
	"time"
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
	d.quit()
}
