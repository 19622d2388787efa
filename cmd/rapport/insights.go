package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/pdf"
)

// cmdInsights prints the Insights as text, or with --pdf writes them
// charted as a PDF.
func cmdInsights(ctx context.Context, svc *app.Service, args []string, e env) error {
	fs := flag.NewFlagSet("insights", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	out := fs.String("pdf", "", "write the charts as a PDF to `FILE` instead of the numbers as text")
	onDay := fs.String("on", "", "the 12 months up to `YYYY-MM-DD` (default: today)")
	saved, err := svc.PrintSettings(ctx)
	if err != nil {
		return err
	}
	paper := fs.String("paper", saved.Paper, "`paper` size of the PDF: A4 or Letter")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected %q", fs.Arg(0))}
	}
	on, err := onFlag(svc, *onDay, midday)
	if err != nil {
		return err
	}
	on = on.Local()
	if *out == "" {
		in, err := svc.Insights(ctx, on)
		if err != nil {
			return err
		}
		return svc.WriteInsightsText(e.stdout, in)
	}
	size := pdf.A4
	if strings.EqualFold(*paper, pdf.Letter) {
		size = pdf.Letter
	} else if !strings.EqualFold(*paper, pdf.A4) {
		return usageError{fmt.Errorf("unknown paper %q (known: A4, Letter)", *paper)}
	}
	var report pdf.Report
	err = app.WriteFileAtomically(*out, func(w io.Writer) error {
		var err error
		report, err = svc.PrintInsights(ctx, on, size, w)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote the insights (%d pages) to %s\n", report.Pages, app.Printable(*out))
	for _, u := range report.Unprinted {
		fmt.Fprintf(e.stderr, "rapport insights: %q printed with ? — %s\n", u.Text, u.Reason)
	}
	return nil
}
