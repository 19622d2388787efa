package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExportFormatsHaveNamesTitlesAndLookups(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range ExportFormats() {
		if f.Name == "" || f.Title == "" || !strings.HasPrefix(f.Ext, ".") || f.write == nil {
			t.Errorf("format %+v is incomplete", f)
		}
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			if seen[n] {
				t.Errorf("name %q used twice", n)
			}
			seen[n] = true
			if got, ok := LookupExportFormat(strings.ToUpper(n)); !ok || got.Name != f.Name {
				t.Errorf("LookupExportFormat(%q) = %q %v", n, got.Name, ok)
			}
		}
	}
	if _, ok := LookupExportFormat("pdf"); ok {
		t.Error("pdf found as an export format")
	}
	if got := strings.Join(ExportFormatNames(), " "); got != "json vcard csv newsletter ics" {
		t.Errorf("names = %s", got)
	}
	csv, _ := LookupExportFormat("csv")
	if got := csv.FileName(fixedNow); got != "rapport-contacts-"+fixedNow.Format("2006-01-02")+".csv" {
		t.Errorf("file name = %s", got)
	}
}

func TestExportFileWritesWholeOrNothing(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if _, err := s.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ExportFormats() {
		path := filepath.Join(dir, f.FileName(fixedNow))
		if err := s.ExportFile(ctx, f, path); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		var direct bytes.Buffer
		if err := f.Write(ctx, s, &direct); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || (f.Name != "json" && !bytes.Equal(got, direct.Bytes())) || len(got) == 0 {
			t.Errorf("%s: the file (%d bytes, %v) differs from the export (%d bytes)", f.Name, len(got), err, direct.Len())
		}
	}
	// Progress says the bytes written, growing to the file's size.
	var said []int64
	path := filepath.Join(dir, "progress.json")
	json, _ := LookupExportFormat("json")
	if err := s.ExportFileWithProgress(ctx, json, path, func(n int64) { said = append(said, n) }); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if len(said) == 0 || said[len(said)-1] != info.Size() || !slices.IsSorted(said) {
		t.Errorf("progress said %v for a file of %d bytes", said, info.Size())
	}
	// Cancelled: an existing file stays as it was, and no temporary file is left.
	target := filepath.Join(dir, "kept.csv")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	csv, _ := LookupExportFormat("csv")
	if err := s.ExportFile(cancelled, csv, target); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled export: %v", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "old" {
		t.Errorf("the cancelled export changed the file: %q", got)
	}
	if err := s.ExportFile(cancelled, csv, filepath.Join(dir, "new.csv")); err == nil {
		t.Error("a cancelled export succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "new.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cancelled export left a file: %v", err)
	}
	hidden, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(hidden) > 0 {
		t.Errorf("temporary files left: %v", hidden)
	}
}
