package app

import (
	"context"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model/modeltest"
)

// BenchmarkExportCSV50k measures the spreadsheet export of 50,000 contacts
// with 5 journal entries each, and the heap it grows to (it reads a page at
// a time: the peak must not grow with the number of contacts).
func BenchmarkExportCSV50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	ctx := context.Background()
	var peak uint64
	for b.Loop() {
		runtime.GC()
		done := make(chan struct{})
		go func() {
			var m runtime.MemStats
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
				}
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}()
		if err := s.ExportCSV(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
		close(done)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkForget50k measures forgetting one person among 50,000: the
// deletes, the file rewritten (VACUUM), the log emptied.
func BenchmarkForget50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	ctx := context.Background()
	rows, err := s.ListContacts(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if _, err := s.Forget(ctx, rows[i].ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkDailyBackup50k measures the copy made on the first start of a
// day (VACUUM INTO) of a database of 50,000 contacts with 5 journal entries
// each, and reports its size.
func BenchmarkDailyBackup50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	ctx := context.Background()
	var size int64
	for b.Loop() {
		bf, err := s.BackUpNow(ctx)
		if err != nil {
			b.Fatal(err)
		}
		size = bf.Size
		b.StopTimer()
		os.Remove(bf.Path)
		b.StartTimer()
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}

// BenchmarkRestoreFile50k measures restoring a backup of 50,000 contacts:
// copy, check (integrity_check, foreign_key_check), keep the current
// database, swap and reopen.
func BenchmarkRestoreFile50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	bf, err := s.BackUpNow(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rep, err := s.RestoreFile(ctx, bf.Path, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.Remove(rep.Kept)
		b.StartTimer()
	}
}

// BenchmarkExportCancel50k measures how soon Cancel stops the JSON backup
// export of 50,000 contacts: the time from cancel to ExportFile returning,
// with no file left.
func BenchmarkExportCancel50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	f, _ := LookupExportFormat("json")
	dir := b.TempDir()
	var worst time.Duration
	for b.Loop() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan time.Time)
		go func() {
			s.ExportFile(ctx, f, dir+"/backup.json")
			done <- time.Now()
		}()
		time.Sleep(300 * time.Millisecond) // well into the export
		at := time.Now()
		cancel()
		worst = max(worst, (<-done).Sub(at))
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			b.Fatalf("a cancelled export left %v", entries)
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "ms-to-stop")
}
