package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/adrg/xdg"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `Rapport keeps the relationships of a small business: who your customers are,
what matters to them, and what happened each time you met.

Usage:
  rapport [--db PATH]                            open the window
  rapport [--db PATH] list [--search TEXT] [--json [--on YYYY-MM-DD]]
  rapport [--db PATH] export --format json|vcard|ics|csv|newsletter [-o FILE]
  rapport [--db PATH] import [--region CC] FILE.vcf|FILE.json ...
                                                 import vCards, or restore (merge) backups
  rapport [--db PATH] imports                    list past vCard imports
  rapport [--db PATH] undo-import ID             take a vCard import back
  rapport [--db PATH] followups [--on YYYY-MM-DD] [--json]
                                                 who to write to, call, congratulate or ask today
  rapport [--db PATH] print followups [--on YYYY-MM-DD] [--paper A4|Letter] -o FILE.pdf
  rapport [--db PATH] print labels [--layout L7160|5160] [--offset-x MM] [--offset-y MM] [--start N] [--test] -o FILE.pdf
                                                 paper, sheet and offsets default to the window's Settings,
                                                 which also give the return address and the home country
  rapport [--db PATH] insights [--on YYYY-MM-DD] [--pdf FILE] [--paper A4|Letter]
                                                 the 12 months' stages, referrers, reliability and
                                                 purchases, and the self reflection: as text, or charted
  rapport [--db PATH] backup [--to DIR]          copy the database into backups/ now, or into DIR
  rapport [--db PATH] backups                    list the backups
  rapport [--db PATH] restore FILE               replace the database with a backup file
  rapport [--db PATH] forget ID                  remove a contact and everything about them
  rapport [--db PATH] demo                       fill an empty database with a demo shop
  rapport [--db PATH] outreach --kind newsletter|article|social|extra [--title T] [--link URL]
                     [--search Q] [--stage S] [--tag T] [--detail LABEL] [--consent] [--no-extra-months N]
                     [--dry-run] [--bcc] [--mailto] [--labels FILE.pdf]
                                                 record one outreach for a group (who got the same is
                                                 skipped); print the BCC groups of 50, labels for the rest
  rapport [--db PATH] outreach --list | --undo NUMBER
                                                 list the outreaches, or take one back whole
  rapport [--db PATH] sync --setup URL --user NAME [--book PATH]
                                                 choose the phone's CardDAV server (iCloud, Nextcloud,
                                                 Radicale, …); the password is read from the first line
                                                 of standard input or $RAPPORT_SYNC_PASSWORD
  rapport [--db PATH] sync [--dry-run]           sync contacts with the phone's address book; a dry run
                                                 says per card new on the phone what it would do and why
  rapport [--db PATH] sync [--add PATH] [--merge PATH[=ID]] [--skip PATH] [--skipped]
                                                 choose per card new on the phone; a skipped card stays
                                                 out of later syncs, --skipped lists them
  rapport [--db PATH] sync --keep phone|mine PATH...
                                                 settle cards the sync found changed on both sides
  rapport [--db PATH] sync --delete PATH...      settle deletions the sync listed: delete on the other
                                                 side too (undo with undo-import)
  rapport [--db PATH] sync --undelete PATH...    settle deletions the sync listed: keep it, and put
                                                 it back on the side that deleted it
  rapport --version

The database is %s unless --db or RAPPORT_DB names another: a file, or
a PostgreSQL database that several desks share,
  --db 'postgres://USER[:PASSWORD]@HOST:5432/DBNAME?sslmode=require'
whose backups (pg_dump) stay on this computer, in the data folder.
On the first start of a day Rapport backs it up into backups/.
`

// env is what a command runs with; tests give their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	gui            func(svc *app.Service) error
}

// run is the whole command line; it returns the exit status.
func run(ctx context.Context, args []string, e env) int {
	g, status, exit := parseGlobalFlags(args, e)
	if exit {
		return status
	}
	command, known := subcommands[g.cmd]
	if g.cmd != "" && !known {
		fmt.Fprintf(e.stderr, "rapport: unknown command %q\n", g.cmd)
		g.usage()
		return 2
	}
	store, err := openStore(ctx, g.dbPath)
	if err != nil {
		fmt.Fprintln(e.stderr, "rapport:", printableError(err))
		return 1
	}
	svc := app.New(store)
	defer svc.Close() // the store in use: a restore replaces it
	if svc, err = setUpService(ctx, svc, g.dbPath, e); err != nil {
		fmt.Fprintln(e.stderr, "rapport:", printableError(err))
		return 1
	}
	if g.cmd == "" {
		// The window opens at once; the day's backup (seconds for a large
		// database) runs beside it and is waited for before the store closes.
		done := make(chan struct{})
		go func() {
			defer close(done)
			dailyBackup(ctx, svc, e.stderr)
		}()
		err = e.gui(svc)
		<-done
	} else {
		dailyBackup(ctx, svc, e.stderr)
		err = command(ctx, svc, g.rest, e)
	}
	return exitStatus(err, g, e)
}

// globalFlags is the command line before and after the flags every
// command shares.
type globalFlags struct {
	dbPath string   // the database: --db, else $RAPPORT_DB, else the data folder's
	cmd    string   // "" opens the window
	rest   []string // the command's own arguments
	usage  func()   // says how to use rapport, on stderr
}

// parseGlobalFlags reads --db and --version; exit says to end now with
// status (after --version, or a flag not understood).
func parseGlobalFlags(args []string, e env) (g globalFlags, status int, exit bool) {
	fs := flag.NewFlagSet("rapport", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dbPath := fs.String("db", "", "database `file` or postgres:// URL (default: $RAPPORT_DB, else the user's data folder)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, usage, defaultDBPath())
	}
	if err := fs.Parse(args); err != nil {
		return g, 2, true
	}
	if *showVersion {
		fmt.Fprintln(e.stdout, "rapport", version)
		return g, 0, true
	}
	g.dbPath = cmp.Or(*dbPath, e.getenv("RAPPORT_DB"), defaultDBPath())
	g.usage = fs.Usage
	if g.rest = fs.Args(); len(g.rest) > 0 {
		g.cmd, g.rest = g.rest[0], g.rest[1:]
	}
	return g, 0, false
}

// subcommands are the commands run without the window, by name.
var subcommands = map[string]func(context.Context, *app.Service, []string, env) error{
	"list":        cmdList,
	"export":      cmdExport,
	"import":      cmdImport,
	"imports":     cmdImports,
	"followups":   cmdFollowups,
	"print":       cmdPrint,
	"insights":    cmdInsights,
	"undo-import": cmdUndoImport,
	"demo":        cmdDemo,
	"backup":      cmdBackup,
	"backups":     cmdBackups,
	"restore":     cmdRestore,
	"forget":      cmdForget,
	"sync":        cmdSync,
	"outreach":    cmdOutreach,
}

// setUpService gives svc the keyring, the phone region and the settings
// stored in the database at dbPath.
func setUpService(ctx context.Context, svc *app.Service, dbPath string, e env) (*app.Service, error) {
	if e.getenv("RAPPORT_KEYRING") != "file" {
		svc = svc.WithKeyring(app.SystemKeyring{})
	}
	svc.SetPhoneRegion(app.RegionFromLocale(e.getenv("LANG")))
	svc.SetWaitNotice(func(msg string) { fmt.Fprintln(e.stderr, "rapport:", msg) })
	if err := svc.LoadSettings(ctx); err != nil {
		// The settings are read as the database opens: damage SQLite finds
		// there is the file's, said as at open.
		if explained := model.ExplainError(err); explained != err {
			err = fmt.Errorf("open database %s: %w", dbPath, explained)
		}
		return svc, err
	}
	return svc, nil
}

// exitStatus says what went wrong, if anything, and returns the exit
// status: 2 for a command used wrongly, 1 for another error.
func exitStatus(err error, g globalFlags, e env) int {
	if explained := model.ExplainError(err); explained != err {
		// SQLite found damage (or a read-only file) only now: say which.
		err = fmt.Errorf("database %s: %w", g.dbPath, explained)
	}
	var usageErr usageError
	switch {
	case errors.As(err, &usageErr):
		fmt.Fprintf(e.stderr, "rapport %s: %s\n", g.cmd, printableError(err))
		return 2
	case err != nil:
		fmt.Fprintf(e.stderr, "rapport %s: %s\n", g.cmd, printableError(err))
		return 1
	}
	return 0
}

// printableError is an error's message fit for a terminal: it may quote a
// name or a file's text, so controls show as U+FFFD; the line breaks of
// errors.Join become "; ".
func printableError(err error) string {
	return app.Printable(strings.ReplaceAll(err.Error(), "\n", "; "))
}

// usageError is a mistake in how a command was called.
type usageError struct{ error }

// openStore opens the SQLite file or the PostgreSQL database target names.
// A PostgreSQL database keeps its local files (backups, import problems)
// in a folder of its own in the user's data folder, named after the server
// and database so that two shops' databases never share one.
func openStore(ctx context.Context, target string) (*model.Store, error) {
	if !model.IsPostgresURL(target) {
		return model.Open(ctx, target)
	}
	return model.OpenPostgres(ctx, target, filepath.Join(filepath.Dir(defaultDBPath()), localFolderName(target)))
}

// localFolderName is "postgres-HOST-PORT-DBNAME" for a database URL, in
// letters, digits, dots and dashes only.
func localFolderName(target string) string {
	name := "postgres"
	if u, err := url.Parse(target); err == nil {
		for _, part := range []string{u.Hostname(), u.Port(), strings.Trim(u.Path, "/")} {
			if part != "" {
				name += "-" + part
			}
		}
	}
	return strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-') {
			return r
		}
		return '_'
	}, name)
}

// defaultDBPath is rapport.db in the user's data folder.
func defaultDBPath() string {
	return filepath.Join(xdg.DataHome, "rapport", "rapport.db")
}

func cmdList(ctx context.Context, svc *app.Service, args []string, e env) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	search := fs.String("search", "", "only contacts matching `TEXT`")
	asJSON := fs.Bool("json", false, "print JSON: {\"contacts\": [...]}")
	onDay := fs.String("on", "", "take reliability as of the end of `YYYY-MM-DD` (default: now)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected %q", fs.Arg(0))}
	}
	if *asJSON {
		// Reliability as of a day counts the whole day.
		on, err := onFlag(svc, *onDay, app.EndOfDay)
		if err != nil {
			return err
		}
		out, flush := app.JSONControlsEscaped(e.stdout)
		if err := svc.ContactsJSON(ctx, *search, on, out); err != nil {
			return err
		}
		return flush()
	}
	rows, err := svc.ListContacts(ctx, *search)
	if err != nil {
		return err
	}
	for _, r := range rows {
		line := r.DisplayName
		if r.Organization != "" && r.Organization != r.DisplayName {
			line += " (" + r.Organization + ")"
		}
		fmt.Fprintf(e.stdout, "%s\t%s\n", app.Printable(line), app.Printable(string(r.Stage)))
	}
	return nil
}

func cmdExport(ctx context.Context, svc *app.Service, args []string, e env) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "json", "`format` of the export: json (the full backup), vcard, ics (upcoming appointments), csv (a spreadsheet) or newsletter (name, email of those who agreed)")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	f, ok := app.LookupExportFormat(*format)
	if !ok {
		return usageError{fmt.Errorf("unknown format %q (known: %s)", *format, strings.Join(app.ExportFormatNames(), ", "))}
	}
	if *out == "" {
		return f.Write(ctx, svc, e.stdout)
	}
	return svc.ExportFile(ctx, f, *out)
}

func cmdImport(ctx context.Context, svc *app.Service, args []string, e env) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	region := fs.String("region", app.RegionFromLocale(e.getenv("LANG")),
		"`country` code for phone numbers written without one (default from LANG)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	svc.SetPhoneRegion(*region)
	files := fs.Args()
	if len(files) == 0 {
		return usageError{errors.New("name the file(s) to import: .vcf vCards or .json backups")}
	}
	var unreadable []string
	for _, path := range files {
		if strings.EqualFold(filepath.Ext(path), ".json") {
			report, err := svc.RestoreJSONFile(ctx, path)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s: restored %d new contacts, merged %d\n", app.Printable(path), report.Created, report.Merged)
			continue
		}
		report, err := svc.ImportVCards(ctx, path, app.ImportOptions{Region: *region})
		if errors.Is(err, app.ErrUnreadable) {
			fmt.Fprintf(e.stderr, "rapport import: %s\n", printableError(err))
			unreadable = append(unreadable, path)
			continue
		}
		// A file that failed part way may have brought some cards in:
		// they are kept, and said.
		if report != nil && (err == nil || report.BatchID != 0) {
			printImportReport(e.stdout, path, report)
		}
		if err != nil {
			return err
		}
		if report.Cancelled {
			return interruptedImport{report}
		}
	}
	if len(unreadable) > 0 {
		return fmt.Errorf("could not read %s", strings.Join(unreadable, ", "))
	}
	return nil
}

// maxPrintedSkips is how many skipped cards the import lists on the terminal;
// the problems file holds them all.
const maxPrintedSkips = 100

// interruptedImport is an import stopped by Ctrl-C or SIGTERM: it says
// what was kept and how to take it back, and is context.Canceled to the
// caller.
type interruptedImport struct{ report *app.ImportReport }

func (e interruptedImport) Error() string {
	r := e.report
	if r.BatchID == 0 {
		return "interrupted before any card was written"
	}
	return fmt.Sprintf("interrupted: the %d cards read before it stopped are kept (rapport undo-import %d takes them back)",
		r.Created+r.Merged+r.SkippedCount, r.BatchID)
}

func (interruptedImport) Unwrap() error { return context.Canceled }

func printImportReport(w io.Writer, path string, report *app.ImportReport) {
	fmt.Fprintf(w, "%s: %s\n", app.Printable(path), report.Summary())
	for i, sk := range report.Skipped {
		if i == maxPrintedSkips {
			fmt.Fprintf(w, "  …and %d more skipped cards\n", report.SkippedCount-maxPrintedSkips)
			break
		}
		fmt.Fprintf(w, "  skipped card %d (line %d): %s\n", sk.Number, sk.Line, app.Printable(sk.Reason))
	}
	if report.ProblemsFile != "" {
		fmt.Fprintf(w, "  the skipped cards are saved in %s\n", app.Printable(report.ProblemsFile))
	}
}

func cmdFollowups(ctx context.Context, svc *app.Service, args []string, e env) error {
	fs := flag.NewFlagSet("followups", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	onDay := fs.String("on", "", "the follow-ups of `YYYY-MM-DD` (default: today)")
	asJSON := fs.Bool("json", false, "print JSON: {\"followups\": [...]}")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	on, err := onFlag(svc, *onDay, midday)
	if err != nil {
		return err
	}
	cadences, err := svc.Cadences(ctx)
	if err != nil {
		return err
	}
	list, err := svc.Followups(ctx, on, cadences)
	if err != nil {
		return err
	}
	if *asJSON {
		out, flush := app.JSONControlsEscaped(e.stdout)
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if list == nil {
			list = []app.Followup{}
		}
		if err := enc.Encode(struct {
			Followups []app.Followup `json:"followups"`
		}{list}); err != nil {
			return err
		}
		return flush()
	}
	for _, f := range list {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\n", f.Due, f.Kind, app.Printable(f.Contact), app.Printable(f.Text))
	}
	return nil
}

func cmdPrint(ctx context.Context, svc *app.Service, args []string, e env) error {
	if len(args) == 0 || (args[0] != "followups" && args[0] != "labels") {
		return usageError{errors.New("print what: followups or labels")}
	}
	what := args[0]
	o, err := parsePrintFlags(ctx, svc, what, args[1:], e)
	if err != nil {
		return err
	}
	on, err := onFlag(svc, o.onDay, midday)
	if err != nil {
		return err
	}
	var report pdf.Report
	var labels int
	err = app.WriteFileAtomically(o.out, func(w io.Writer) error {
		var err error
		if what == "followups" {
			report, err = printFollowupSheet(ctx, svc, on, o.paper, w)
		} else {
			report, labels, err = printLabelSheet(ctx, svc, o, w)
		}
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case what == "labels" && o.test:
		fmt.Fprintf(e.stdout, "wrote the label test page to %s\n", o.out)
	case what == "labels":
		fmt.Fprintf(e.stdout, "wrote %d labels (%d pages) to %s\n", labels, report.Pages, o.out)
	default:
		fmt.Fprintf(e.stdout, "wrote the follow-up sheet (%d pages) to %s\n", report.Pages, o.out)
	}
	for _, u := range report.Unprinted {
		fmt.Fprintf(e.stderr, "rapport print: %q printed with ? — %s\n", u.Text, u.Reason)
	}
	return nil
}

// printOptions are the flags of print; paper, sheet and offsets default
// to the saved settings.
type printOptions struct {
	saved            app.PrintSettings
	out, onDay       string
	paper, layout    string
	offsetX, offsetY float64
	test             bool
	start            int
}

// parsePrintFlags reads the flags of print what, checking those that need
// no database.
func parsePrintFlags(ctx context.Context, svc *app.Service, what string, args []string, e env) (printOptions, error) {
	fs := flag.NewFlagSet("print "+what, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var o printOptions
	fs.StringVar(&o.out, "o", "", "write the PDF to `FILE` (required)")
	fs.StringVar(&o.onDay, "on", "", "the follow-ups of `YYYY-MM-DD` (default: today)")
	// The settings (File > Settings… in the window) are the defaults.
	var err error
	if o.saved, err = svc.PrintSettings(ctx); err != nil {
		return o, err
	}
	fs.StringVar(&o.paper, "paper", o.saved.Paper, "`paper` size of the sheet: A4 or Letter")
	fs.StringVar(&o.layout, "layout", o.saved.LabelSheet, "label `sheet`: L7160 (A4, 3×7) or 5160 (Letter, 3×10)")
	fs.Float64Var(&o.offsetX, "offset-x", o.saved.OffsetX, "move every label right by `MM` (negative: left), at most 20")
	fs.Float64Var(&o.offsetY, "offset-y", o.saved.OffsetY, "move every label down by `MM` (negative: up), at most 20")
	fs.BoolVar(&o.test, "test", false, "print the label outlines only, to hold against a sheet")
	fs.IntVar(&o.start, "start", 1, "begin at label `N` of a part-used sheet, counted across from the top left (the labels before it stay blank)")
	if err := fs.Parse(args); err != nil {
		return o, usageError{err}
	}
	if o.out == "" {
		return o, usageError{errors.New("name the PDF to write with -o FILE.pdf")}
	}
	if err := errors.Join(pdf.CheckLabelOffset("--offset-x", o.offsetX), pdf.CheckLabelOffset("--offset-y", o.offsetY)); err != nil {
		return o, usageError{err}
	}
	return o, nil
}

// printFollowupSheet writes the follow-up sheet of day on to w, on A4 or
// Letter as paper says.
func printFollowupSheet(ctx context.Context, svc *app.Service, on time.Time, paper string, w io.Writer) (pdf.Report, error) {
	size := pdf.A4
	if strings.EqualFold(paper, pdf.Letter) {
		size = pdf.Letter
	} else if !strings.EqualFold(paper, pdf.A4) {
		return pdf.Report{}, usageError{fmt.Errorf("unknown paper %q (known: A4, Letter)", paper)}
	}
	return svc.PrintFollowups(ctx, on, size, w)
}

// printLabelSheet writes address labels (or the test page) to w; it
// returns how many labels it printed.
func printLabelSheet(ctx context.Context, svc *app.Service, o printOptions, w io.Writer) (pdf.Report, int, error) {
	layout, ok := pdf.LabelLayouts()[strings.ToUpper(o.layout)]
	if !ok {
		return pdf.Report{}, 0, usageError{fmt.Errorf("unknown label sheet %q (known: L7160, 5160)", o.layout)}
	}
	if err := pdf.CheckLabelStart(layout, o.start); err != nil {
		return pdf.Report{}, 0, usageError{fmt.Errorf("--start: %w", err)}
	}
	job := o.saved.LabelJob()
	job.Layout, job.OffsetX, job.OffsetY, job.Test, job.Start = layout, o.offsetX, o.offsetY, o.test, o.start
	return svc.PrintLabels(ctx, job, w)
}

// onFlag reads a --on YYYY-MM-DD flag as a moment of that day (at), or now
// when it was not given.
func onFlag(svc *app.Service, value string, at func(time.Time) time.Time) (time.Time, error) {
	if value == "" {
		return svc.Now(), nil
	}
	d, err := time.ParseInLocation(time.DateOnly, value, time.Local)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--on %q: want YYYY-MM-DD", value)}
	}
	return at(d), nil
}

// midday is noon of d's day: follow-ups of a day, whatever the hour.
func midday(d time.Time) time.Time { return d.Add(12 * time.Hour) }

func cmdImports(ctx context.Context, svc *app.Service, args []string, e env) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected %q", args[0])}
	}
	batches, err := svc.ImportBatches(ctx)
	if err != nil {
		return err
	}
	for _, b := range batches {
		state := ""
		if b.UndoneAt != nil {
			state = "\tundone " + b.UndoneAt.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\timported %d, merged %d, skipped %d%s\n", b.ID,
			b.StartedAt.Local().Format("2006-01-02 15:04"), app.Printable(b.File), b.Created, b.Merged, b.Skipped, state)
	}
	return nil
}

func cmdUndoImport(ctx context.Context, svc *app.Service, args []string, e env) error {
	if len(args) != 1 {
		return usageError{errors.New("name the import to undo by its number (see rapport imports)")}
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return usageError{fmt.Errorf("%q is not an import number (see rapport imports)", args[0])}
	}
	rep, err := svc.UndoImport(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "removed %d contacts and %d added fields or rows\n", rep.Removed, rep.Cleared)
	if len(rep.Restored) > 0 {
		fmt.Fprintf(e.stdout, "brought back %s (the next sync puts them on the phone again)\n", app.Printable(strings.Join(rep.Restored, ", ")))
	}
	if rep.PutBack > 0 {
		fmt.Fprintf(e.stdout, "put %d card(s) back on the phone\n", rep.PutBack)
	}
	if len(rep.Kept) > 0 {
		fmt.Fprintf(e.stdout, "kept %d you changed since: %s\n", len(rep.Kept), app.Printable(strings.Join(rep.Kept, ", ")))
	}
	return nil
}

func cmdDemo(ctx context.Context, svc *app.Service, args []string, e env) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected %q", args[0])}
	}
	n, err := svc.Demo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added %d demo contacts to %s\n", n, svc.StorePath())
	return nil
}

// dailyBackup makes the day's copy of the database and rotates the old ones
// out. A failure is told but stops nothing: the work asked for matters more,
// and the next start tries again.
func dailyBackup(ctx context.Context, svc *app.Service, stderr io.Writer) {
	// Stopped by the owner (the window closed by a signal): the next start
	// makes it.
	if _, _, err := svc.DailyBackup(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "rapport: the daily backup failed: %s\n", printableError(err))
	}
}

func cmdBackup(ctx context.Context, svc *app.Service, args []string, e env) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	to := fs.String("to", "", "copy into the folder `DIR` (a USB stick) instead of backups/")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected %q", fs.Arg(0))}
	}
	if *to != "" {
		c, err := svc.BackUpTo(ctx, *to)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, c.Path)
		return nil
	}
	b, err := svc.BackUpNow(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, b.Path)
	return nil
}

func cmdBackups(ctx context.Context, svc *app.Service, args []string, e env) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected %q", args[0])}
	}
	list, err := svc.Backups(ctx)
	if err != nil {
		return err
	}
	for _, b := range list {
		fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\n", b.Time.Local().Format("2006-01-02 15:04"), app.FormatSize(b.Size), b.Kind, app.Printable(b.Path))
	}
	return nil
}

func cmdRestore(ctx context.Context, svc *app.Service, args []string, e env) error {
	if len(args) != 1 {
		return usageError{errors.New("name the backup file to restore (see rapport backups)")}
	}
	path := args[0]
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return fmt.Errorf("%s is a JSON backup: rapport import %s merges it into the database", path, path)
	}
	rep, err := svc.RestoreFile(ctx, path, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s into %s\nthe database as it was is kept in %s\n", path, svc.StorePath(), rep.Kept)
	if rep.Warning != "" {
		fmt.Fprintf(e.stderr, "rapport restore: %s\n", app.Printable(rep.Warning))
	}
	return nil
}

func cmdForget(ctx context.Context, svc *app.Service, args []string, e env) error {
	if len(args) != 1 {
		return usageError{errors.New("name the contact to forget by its id (see rapport list --json)")}
	}
	name, err := svc.ForgetByID(ctx, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, app.Printable(app.ForgottenMessage(name)))
	return nil
}
