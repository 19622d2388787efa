package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/dav"
)

// cmdSync sets up the phone sync (--setup) or runs it.
func cmdSync(ctx context.Context, svc *app.Service, args []string, e env) error {
	f, err := parseSyncFlags(args, e)
	if err != nil {
		return err
	}
	if f.setup != "" {
		if err := syncSetup(ctx, svc, f.setup, f.user, f.book, e); err != nil || f.calendar == "" {
			return err
		}
	}
	set, err := svc.PhoneSyncSettings(ctx)
	if err != nil {
		return err
	}
	if set.URL == "" {
		return usageError{app.ErrSyncNotSetUp}
	}
	if f.calendar == "none" {
		set.Calendar = ""
		if err := svc.SetPhoneSyncSettings(ctx, set); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "Calendar sync is off: appointments stay in Rapport only.")
		return nil
	}
	password, err := syncPassword(svc, set, e)
	if err != nil {
		return err
	}
	switch {
	case f.calendar != "":
		return syncCalendarChoice(ctx, svc, set, password, f.calendar, e)
	case f.keep != "":
		return keepSides(ctx, svc, password, f.keep, f.paths, e)
	case f.del || f.undel:
		return settleDeletions(ctx, svc, password, f.del, f.paths, e)
	}
	if f.listSkipped {
		if err := listSkipped(ctx, svc, password, e.stdout); err != nil {
			return err
		}
	}
	rep, err := svc.SyncPhone(ctx, app.SyncOptions{Password: password, DryRun: f.dry, Region: svc.PhoneRegion(), Choices: f.choices,
		Progress: func(step string) { fmt.Fprintln(e.stderr, app.Printable(step)+"…") }})
	if rep != nil {
		for _, line := range rep.Lines {
			fmt.Fprintln(e.stdout, app.Printable(line))
		}
		fmt.Fprintln(e.stdout, app.Printable(rep.Summary()))
	}
	return err
}

// syncFlags are rapport sync's flags, and the paths after them.
type syncFlags struct {
	setup, user, book, calendar string
	dry                         bool
	keep                        string // a side: phone or mine
	del, undel                  bool
	choices                     syncChoices
	listSkipped                 bool
	paths                       []string
}

// parseSyncFlags reads rapport sync's flags from args and refuses the
// ones that do not go together.
func parseSyncFlags(args []string, e env) (*syncFlags, error) {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	setup := fs.String("setup", "", "the CardDAV server's `URL` (or just its domain)")
	user := fs.String("user", "", "the user `name` on the server")
	book := fs.String("book", "", "the address book's `path` on the server (default: the only one, or say which)")
	calendar := fs.String("calendar", "", "the calendar appointments go to: its `name` or path, list (print the calendars) or none (no calendar sync)")
	dry := fs.Bool("dry-run", false, "print what would change, change nothing")
	keep := fs.String("keep", "", "settle a card changed on both sides: `phone` or mine, then the card paths the sync listed")
	del := fs.Bool("delete", false, "settle a deletion the sync listed by deleting on the other side too (the contact here, or the card on the phone), then the paths; undo it with rapport undo-import")
	undel := fs.Bool("undelete", false, "settle a deletion the sync listed by keeping it: a contact the phone deleted goes back to the phone, a card whose contact was deleted here comes back here; then the paths")
	choices, listSkippedCards := choiceFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, usageError{err}
	}
	f := &syncFlags{setup: *setup, user: *user, book: *book, calendar: *calendar, dry: *dry, keep: *keep, del: *del, undel: *undel,
		choices: choices, listSkipped: *listSkippedCards, paths: fs.Args()}
	if err := f.check(); err != nil {
		return nil, err
	}
	return f, nil
}

// check refuses flags that do not go together: settling one thing at a
// time, with the paths it needs and nothing of a sync's.
func (f *syncFlags) check() error {
	settling := 0
	for _, on := range []bool{f.keep != "", f.del, f.undel} {
		if on {
			settling++
		}
	}
	if settling > 0 && (len(f.choices) > 0 || f.listSkipped) {
		return usageError{errors.New("--add, --merge, --skip and --skipped go with a sync, not with settling a card")}
	}
	if f.calendar != "" && (settling > 0 || f.dry) {
		return usageError{errors.New("--calendar chooses the calendar only: run rapport sync again to sync")}
	}
	if settling > 1 {
		return usageError{errors.New("--keep, --delete and --undelete settle one thing at a time: give one of them")}
	}
	if len(f.paths) > 0 && settling == 0 {
		return usageError{fmt.Errorf("unexpected %q", f.paths[0])}
	}
	if f.keep != "" && (len(f.paths) == 0 || f.keep != string(app.KeepPhone) && f.keep != string(app.KeepMine)) {
		return usageError{errors.New("--keep phone|mine needs the card paths the sync listed")}
	}
	if (f.del || f.undel) && len(f.paths) == 0 {
		return usageError{errors.New("--delete and --undelete need the paths the sync listed with the deletion")}
	}
	return nil
}

// syncPassword is the server's password: $RAPPORT_SYNC_PASSWORD, or the
// one kept at setup.
func syncPassword(svc *app.Service, set app.PhoneSync, e env) (string, error) {
	if password := e.getenv("RAPPORT_SYNC_PASSWORD"); password != "" {
		return password, nil
	}
	password, found, err := svc.PhoneSyncPassword(set.URL, set.User)
	if err != nil {
		return "", err
	}
	if !found {
		return "", fmt.Errorf("no password kept for %s on %s: run rapport sync --setup again", set.User, set.URL)
	}
	return password, nil
}

// keepSides settles the cards at paths, changed on both sides, by keeping
// side's version (--keep).
func keepSides(ctx context.Context, svc *app.Service, password, side string, paths []string, e env) error {
	for _, href := range paths {
		if err := svc.ResolveSyncConflict(ctx, password, href, app.Side(side)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "kept the %s version of %s\n", map[string]string{"phone": "phone's", "mine": "Rapport"}[side], app.Printable(href))
	}
	return nil
}

// settleDeletions settles the deletions at paths by deleting on the other
// side too (del, --delete) or by undeleting (--undelete).
func settleDeletions(ctx context.Context, svc *app.Service, password string, del bool, paths []string, e env) error {
	how := map[bool]app.Deletion{true: app.DeleteToo, false: app.Undelete}[del]
	for _, href := range paths {
		done, err := svc.SettleDeletion(ctx, password, href, how)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, app.Printable(done.Message))
		if done.Batch != 0 {
			fmt.Fprintf(e.stdout, "(rapport undo-import %d takes it back)\n", done.Batch)
		}
	}
	return nil
}

func syncSetup(ctx context.Context, svc *app.Service, url, user, book string, e env) error {
	if user == "" {
		return usageError{errors.New("--setup needs --user")}
	}
	password := e.getenv("RAPPORT_SYNC_PASSWORD")
	if password == "" {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return usageError{errors.New("give the password on standard input or in $RAPPORT_SYNC_PASSWORD")}
		}
		password = strings.TrimRight(line, "\r\n")
	}
	books, err := svc.PhoneAddressBooks(ctx, dav.Account{URL: url, User: user, Password: password})
	if err != nil {
		return err
	}
	chosen := ""
	for _, b := range books {
		if book == "" && len(books) == 1 || b.Path == book || (book != "" && b.Name == book) {
			chosen = b.Path
		}
	}
	if chosen == "" {
		var list []string
		for _, b := range books {
			list = append(list, fmt.Sprintf("%s (%s)", b.Path, app.Printable(b.Name)))
		}
		if len(list) == 0 {
			return fmt.Errorf("%s has no address book for %s", url, user)
		}
		return usageError{fmt.Errorf("say which address book with --book: %s", strings.Join(list, ", "))}
	}
	// Set up again on the same server, the calendar chosen stays.
	before, err := svc.PhoneSyncSettings(ctx)
	if err != nil {
		return err
	}
	calendar := ""
	if before.URL == strings.TrimSpace(url) {
		calendar = before.Calendar
	}
	if err := svc.SetPhoneSyncSettings(ctx, app.PhoneSync{URL: url, User: user, AddressBook: chosen, Calendar: calendar}); err != nil {
		return err
	}
	where, err := svc.SavePhoneSyncPassword(url, user, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Phone sync set up with %s, address book %s; the password is kept in %s.\n",
		app.Printable(url), app.Printable(chosen), app.Printable(where))
	return nil
}

// syncCalendarChoice lists the account's calendars (list) or chooses the
// one appointments go to, by its name or path.
func syncCalendarChoice(ctx context.Context, svc *app.Service, set app.PhoneSync, password, which string, e env) error {
	cals, err := svc.PhoneCalendars(ctx, dav.Account{URL: set.URL, User: set.User, Password: password})
	if err != nil {
		return err
	}
	if which == "list" {
		for _, c := range cals {
			mark := " "
			if c.Path == set.Calendar {
				mark = "*"
			}
			fmt.Fprintf(e.stdout, "%s %s\t%s\n", mark, app.Printable(c.Path), app.Printable(c.Name))
		}
		if len(cals) == 0 {
			fmt.Fprintf(e.stdout, "%s has no calendar for events\n", app.Printable(set.URL))
		}
		return nil
	}
	chosen, byName := "", 0
	for _, c := range cals {
		if c.Path == which {
			chosen, byName = c.Path, 1
			break
		}
		if c.Name == which {
			chosen = c.Path
			byName++
		}
	}
	if chosen == "" || byName > 1 {
		var list []string
		for _, c := range cals {
			list = append(list, fmt.Sprintf("%s (%s)", c.Path, app.Printable(c.Name)))
		}
		return usageError{fmt.Errorf("no single calendar %q: say one of %s", app.Printable(which), strings.Join(list, ", "))}
	}
	set.Calendar = chosen
	if err := svc.SetPhoneSyncSettings(ctx, set); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Appointments of contacts on the phone go to the calendar %s from the next sync.\n", app.Printable(chosen))
	return nil
}
