package app

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"
)

// ExportFormat is one kind of export, the same for `rapport export
// --format` and File → Export… in the window, so the two cannot drift.
type ExportFormat struct {
	Name    string   // as --format takes it
	Aliases []string // other names --format accepts
	Title   string   // as the window offers it
	Ext     string   // of the file, with its dot
	Stem    string   // the default file name before the date
	write   func(*Service, context.Context, io.Writer) error
}

// ExportFormats are the exports Rapport writes, the full backup first.
func ExportFormats() []ExportFormat {
	return []ExportFormat{
		{Name: "json", Title: "JSON backup (everything Rapport holds)", Ext: ".json", Stem: "rapport-backup", write: (*Service).Export},
		{Name: "vcard", Aliases: []string{"vcf"}, Title: "vCard (phones, Google, Outlook, Thunderbird)", Ext: ".vcf", Stem: "rapport-contacts", write: (*Service).ExportVCards},
		{Name: "csv", Title: "Spreadsheet (CSV)", Ext: ".csv", Stem: "rapport-contacts", write: (*Service).ExportCSV},
		{Name: "newsletter", Title: "Newsletter list (name, email of those who agreed)", Ext: ".csv", Stem: "rapport-newsletter", write: (*Service).ExportNewsletter},
		{Name: "ics", Aliases: []string{"ical"}, Title: "Calendar of upcoming appointments (ICS)", Ext: ".ics", Stem: "rapport-appointments", write: (*Service).ExportICS},
	}
}

// ExportFormatNames are the --format names, in order.
func ExportFormatNames() []string {
	var names []string
	for _, f := range ExportFormats() {
		names = append(names, f.Name)
	}
	return names
}

// LookupExportFormat finds a format by its name or an alias, in any case.
func LookupExportFormat(name string) (ExportFormat, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, f := range ExportFormats() {
		if f.Name == name || slices.Contains(f.Aliases, name) {
			return f, true
		}
	}
	return ExportFormat{}, false
}

// FileName is the export's default file name on day: rapport-contacts-2026-12-03.csv.
func (f ExportFormat) FileName(day time.Time) string {
	return f.Stem + "-" + day.Format(time.DateOnly) + f.Ext
}

// Write writes the export to w.
func (f ExportFormat) Write(ctx context.Context, s *Service, w io.Writer) error {
	return f.write(s, ctx, w)
}

// ExportFile writes the export to path whole or not at all: a cancelled
// export (ctx) leaves no half file, and an existing file as it was.
func (s *Service) ExportFile(ctx context.Context, f ExportFormat, path string) error {
	return s.ExportFileWithProgress(ctx, f, path, nil)
}

// ExportFileWithProgress is ExportFile telling progress, when not nil, how
// many bytes are written so far, after each write.
func (s *Service) ExportFileWithProgress(ctx context.Context, f ExportFormat, path string, progress func(written int64)) error {
	return WriteFileAtomically(path, func(w io.Writer) error {
		if err := f.Write(ctx, s, &writerWithContext{ctx: ctx, w: w, progress: progress}); err != nil {
			return err
		}
		return ctx.Err()
	})
}

// writerWithContext stops a write once ctx is cancelled, so that Cancel
// stops an export within one buffer rather than at the next page of rows.
type writerWithContext struct {
	ctx      context.Context
	w        io.Writer
	progress func(written int64)
	written  int64
}

func (w *writerWithContext) Write(p []byte) (int, error) {
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := w.w.Write(p)
	w.written += int64(n)
	if w.progress != nil {
		w.progress(w.written)
	}
	return n, err
}
