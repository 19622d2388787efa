package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rapportjournal/rapport/app"
)

// syncChoices are the owner's choices for cards new on the phone, given as
// flags: --add PATH, --merge PATH[=ID], --skip PATH, each as often as
// needed, as a dry run listed the cards.
type syncChoices map[string]app.SyncChoice

// choiceFlag is one of the three flags: it records its action per path.
type choiceFlag struct {
	choices syncChoices
	action  app.Action
}

func (f choiceFlag) String() string { return "" }

func (f choiceFlag) Set(value string) error {
	path, into := value, int64(0)
	if f.action == app.ActionMerge {
		if p, id, ok := strings.Cut(value, "="); ok {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil || n <= 0 {
				return fmt.Errorf("--merge %s: say PATH=ID with the contact's number (rapport list shows it)", value)
			}
			path, into = p, n
		}
	}
	if path == "" {
		return errors.New("give the card's path, as rapport sync --dry-run lists it")
	}
	if had, ok := f.choices[path]; ok && had.Action != f.action {
		return fmt.Errorf("%s is chosen twice: %s and %s", path, had.Action, f.action)
	}
	f.choices[path] = app.SyncChoice{Action: f.action, MergeInto: into}
	return nil
}

// choiceFlags registers --add, --merge and --skip on fs, and --skipped,
// which lists the cards skipped on earlier syncs.
func choiceFlags(fs *flag.FlagSet) (syncChoices, *bool) {
	c := syncChoices{}
	fs.Var(choiceFlag{c, app.ActionAdd}, "add", "take the card at `PATH` in as a new contact (a card the sync listed as new, or one skipped before); repeat for more")
	fs.Var(choiceFlag{c, app.ActionMerge}, "merge", "merge the card at `PATH` into the contact it matches, or PATH=ID into contact ID; repeat for more")
	fs.Var(choiceFlag{c, app.ActionSkip}, "skip", "leave the card at `PATH` out, on later syncs too (until --add or --merge); repeat for more")
	skipped := fs.Bool("skipped", false, "list the cards skipped on earlier syncs, then sync (or, with --dry-run, not)")
	return c, skipped
}

// listSkipped prints the cards skipped on earlier syncs, with the flag that
// takes each in.
func listSkipped(ctx context.Context, svc *app.Service, password string, w io.Writer) error {
	plan, err := svc.PlanPhoneSync(ctx, app.SyncPlanOptions{Password: password, Region: svc.PhoneRegion(), WithSkipped: true})
	if err != nil {
		return err
	}
	n := 0
	for _, c := range plan {
		if !c.Skipped {
			continue
		}
		n++
		what := c.Name()
		if h := c.Holds(); h != "" {
			what += " (" + h + ")"
		}
		fmt.Fprintf(w, "skipped on an earlier sync: %s — %s (rapport sync --add %s takes it in)\n",
			app.Printable(what), app.Printable(c.Href), app.Printable(c.Href))
	}
	if n == 0 {
		fmt.Fprintln(w, "no card on the phone is skipped")
	}
	return nil
}
