// Command rapport is the Rapport relationship journal: without arguments it
// opens the window; its subcommands do the same work headless.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

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
	os.Exit(run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv,
		gui:    func(svc *app.Service) error { return showWindow(ctx, svc) },
	}))
}

// showWindow runs the desktop window until it is closed or the process is
// asked to stop; either way the database is closed cleanly after.
func showWindow(ctx context.Context, svc *app.Service) error {
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow("Rapport")
	ui.Create(a, w, svc)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	return nil
}
