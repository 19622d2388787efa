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
	"github.com/rapportjournal/rapport/model"
)

// outreachFlags are the flags of rapport outreach.
type outreachFlags struct {
	kind, title, link, labels, undo string
	criteria                        app.OutreachCriteria
	dryRun, bcc, mailto, list       bool
}

func parseOutreachFlags(args []string, stderr io.Writer) (outreachFlags, error) {
	var f outreachFlags
	fs := flag.NewFlagSet("outreach", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.kind, "kind", "", "what is sent: newsletter, article, social or extra")
	fs.StringVar(&f.title, "title", "", "the article's or the newsletter's `title` (a newsletter or extra without one is named after the month)")
	fs.StringVar(&f.link, "link", "", "the article's `URL`")
	fs.StringVar(&f.criteria.Search, "search", "", "only contacts matching `TEXT`, as the list's search")
	stage := fs.String("stage", "", "only contacts of `STAGE`: prospect, customer or client")
	fs.StringVar(&f.criteria.Tag, "tag", "", "only contacts tagged `TAG`")
	fs.StringVar(&f.criteria.Detail, "detail", "", "only contacts with a personal detail labelled `LABEL`")
	fs.BoolVar(&f.criteria.Consent, "consent", false, "only contacts who agreed to the newsletter")
	fs.IntVar(&f.criteria.NoExtraMonths, "no-extra-months", 0, "only contacts given no extra in `N` months")
	fs.BoolVar(&f.dryRun, "dry-run", false, "say who it would reach; record nothing")
	fs.BoolVar(&f.bcc, "bcc", false, "print the email addresses, one BCC group of 50 a line")
	fs.BoolVar(&f.mailto, "mailto", false, "print a mailto: link per BCC group")
	fs.StringVar(&f.labels, "labels", "", "write address labels of those without email to `FILE.pdf` (sheet and offsets of Settings)")
	fs.StringVar(&f.undo, "undo", "", "remove the journal entries of outreach `NUMBER`")
	fs.BoolVar(&f.list, "list", false, "list the outreaches that can be undone")
	if err := fs.Parse(args); err != nil {
		return f, usageError{err}
	}
	if fs.NArg() > 0 {
		return f, usageError{fmt.Errorf("unexpected %q", fs.Arg(0))}
	}
	f.criteria.Stage = model.Stage(*stage)
	if *stage != "" && !f.criteria.Stage.Valid() {
		return f, usageError{fmt.Errorf("--stage %q: want prospect, customer or client", *stage)}
	}
	if f.undo == "" && !f.list && f.kind == "" {
		return f, usageError{errors.New("say what is sent with --kind newsletter|article|social|extra")}
	}
	return f, nil
}

func cmdOutreach(ctx context.Context, svc *app.Service, args []string, e env) error {
	f, err := parseOutreachFlags(args, e.stderr)
	if err != nil {
		return err
	}
	switch {
	case f.list:
		return listOutreaches(ctx, svc, e.stdout)
	case f.undo != "":
		id, err := strconv.ParseInt(f.undo, 10, 64)
		if err != nil {
			return usageError{fmt.Errorf("--undo %q: want the outreach's number (see rapport outreach --list)", f.undo)}
		}
		n, err := svc.UndoOutreach(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "removed the %d journal entries of outreach %d\n", n, id)
		return nil
	}
	p, err := svc.PlanOutreach(ctx, f.criteria, app.Outreach{Kind: model.EntryKind(f.kind), Title: f.title, Link: f.link})
	if err != nil {
		return usageError{err}
	}
	fmt.Fprintf(e.stdout, "%s\nselected %d (%s); %d skipped, already reached; %d to reach\n",
		app.Printable(p.Outreach.Text()), p.Selected, app.Printable(p.Criteria.String()), p.Skipped, len(p.Reach))
	if f.dryRun {
		bcc, noEmail, err := svc.OutreachAddresses(ctx, p.Reach)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "dry run: nothing recorded")
		return printOutreachSend(ctx, svc, f, p.Outreach, bcc, noEmail, e)
	}
	done, err := svc.SendOutreach(ctx, p)
	if err != nil {
		return err
	}
	if done.ID == 0 {
		fmt.Fprintln(e.stdout, "nobody to reach: nothing recorded")
		return nil
	}
	fmt.Fprintf(e.stdout, "recorded outreach %d for %d people (undo: rapport outreach --undo %d)\n", done.ID, done.Reached, done.ID)
	return printOutreachSend(ctx, svc, f, done.Outreach, done.BCC, done.NoEmail, e)
}

// printOutreachSend prints what sending takes: the BCC groups and, with
// --labels, the labels of those without email.
func printOutreachSend(ctx context.Context, svc *app.Service, f outreachFlags, o app.Outreach, bcc [][]string, noEmail []int64, e env) error {
	with := 0
	for _, g := range bcc {
		with += len(g)
	}
	fmt.Fprintf(e.stdout, "%d with email in %d BCC groups of up to %d; %d without email\n", with, len(bcc), app.BCCGroupSize, len(noEmail))
	for i, g := range bcc {
		if f.bcc {
			fmt.Fprintf(e.stdout, "group %d: %s\n", i+1, app.Printable(strings.Join(g, ", ")))
		}
		if f.mailto {
			fmt.Fprintf(e.stdout, "group %d: %s\n", i+1, app.MailtoBCC(g, o.Subject(), o.Body()))
		}
	}
	if f.labels == "" {
		return nil
	}
	saved, err := svc.PrintSettings(ctx)
	if err != nil {
		return err
	}
	var got app.OutreachLabels
	err = app.WriteFileAtomically(f.labels, func(w io.Writer) error {
		got, err = svc.PrintOutreachLabels(ctx, noEmail, saved.LabelJob(), w)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d labels (%d pages) to %s\n", got.Printed, got.Pages, f.labels)
	if len(got.NoAddress) > 0 {
		fmt.Fprintf(e.stdout, "no email and no postal address: %s\n", app.Printable(strings.Join(got.NoAddress, ", ")))
	}
	return nil
}

func listOutreaches(ctx context.Context, svc *app.Service, w io.Writer) error {
	list, err := svc.Outreaches(ctx)
	if err != nil {
		return err
	}
	for _, o := range list {
		fmt.Fprintf(w, "%d\t%s\t%s\t%d people\n", o.ID, o.At.Local().Format("2006-01-02 15:04"),
			app.Printable(app.Outreach{Kind: o.Kind, Title: o.Title, Link: o.Link}.Text()), o.Reached)
	}
	return nil
}
