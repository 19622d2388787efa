// Command rapport is the Rapport relationship journal: without arguments it
// opens the window; its subcommands do the same work headless.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/assets"
	"github.com/rapportjournal/rapport/ui"
)

// appID matches FyneApp.toml; a plain go build never reads that file.
const appID = "io.github.rapportjournal.rapport"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go stopAfterSignal(ctx, stop, stopGrace, os.Stderr, os.Exit)
	os.Exit(run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv,
		gui:    func(svc *app.Service) error { return showWindow(ctx, svc) },
	}))
}

// stopGrace is how long the work has, once SIGINT or SIGTERM asked it to
// stop, to end on its own: a command stops within a second, the window
// closes with the database in a few.
const stopGrace = 10 * time.Second

// stopAfterSignal makes a request to stop end the process whatever it is
// doing. NotifyContext goes on catching the signals after the first one,
// so a command blocked where it does not look at its context (a read the
// kernel holds) outlived every Ctrl-C and SIGTERM: after the first, they
// are let through again, so that a second ends the process at once, and
// after grace it ends anyway. SQLite's files stay whole either way, as
// after a crash.
func stopAfterSignal(ctx context.Context, release func(), grace time.Duration, stderr io.Writer, exit func(int)) {
	<-ctx.Done()
	release()
	time.Sleep(grace)
	fmt.Fprintf(stderr, "rapport: stopped: the work did not end within %v of being asked to\n", grace)
	exit(1)
}

// showWindow runs the desktop window until it is closed or the process is
// asked to stop; either way the database is closed cleanly after.
func showWindow(ctx context.Context, svc *app.Service) error {
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("Rapport")
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	// The window's own work stops once it is closed: the store closes only
	// after every query in flight has ended.
	work, closed := context.WithCancel(ctx)
	defer closed()
	ui.Create(work, a, w, svc)
	w.ShowAndRun()
	return nil
}
