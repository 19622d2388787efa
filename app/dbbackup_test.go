package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/dbcopy"
	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// newFileService is a service over a database in its own folder, closed at
// the end of the test whichever store it holds by then.
func newFileService(t *testing.T, now time.Time) *Service {
	t.Helper()
	st, err := model.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := New(st).WithClock(func() time.Time { return now })
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDailyBackupOncePerDayAndRotates(t *testing.T) {
	ctx := context.Background()
	s := newFileService(t, fixedNow)
	if made, _, err := s.DailyBackup(ctx); err != nil || made != "" {
		t.Fatalf("an empty database got a daily backup: %q %v", made, err)
	}
	if _, err := s.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	// Old files of ours to rotate out, one of another database, one not ours.
	dir := s.store().BackupsDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old := []string{"rapport-20251001-080000-daily.db", "rapport-20251031-080000-daily.db", "rapport-20240101-080000-before-v2.db",
		"rapport-20251201-080000-daily.db", "rapport-20251215-080000-manual.db"}
	others := []string{"shop-20251001-080000-daily.db", "notes.txt", "rapport-20251001-080000-daily.db.bak"}
	for _, name := range append(old, others...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	made, removed, err := s.DailyBackup(ctx)
	if err != nil || made == "" {
		t.Fatalf("DailyBackup = %q, %v", made, err)
	}
	if !strings.HasSuffix(made, "-daily.db") || filepath.Dir(made) != dir {
		t.Errorf("daily backup at %s", made)
	}
	if info, err := os.Stat(made); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("daily backup mode: %v %v", info, err)
	}
	var gone []string
	for _, p := range removed {
		gone = append(gone, filepath.Base(p))
	}
	// November 2025 and before are out of the last 12 months (December 2025
	// to November 2026); the migration backup of January 2024 too.
	slices.Sort(gone)
	if want := "rapport-20240101-080000-before-v2.db rapport-20251001-080000-daily.db rapport-20251031-080000-daily.db"; strings.Join(gone, " ") != want {
		t.Errorf("removed %v, want %s", gone, want)
	}
	for _, name := range append([]string{"rapport-20251201-080000-daily.db", "rapport-20251215-080000-manual.db"}, others...) {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s should be kept: %v", name, err)
		}
	}
	if again, _, err := s.DailyBackup(ctx); err != nil || again != "" {
		t.Errorf("a second daily backup on one day: %q %v", again, err)
	}
	if _, err := model.CheckFile(ctx, made); err != nil {
		t.Errorf("the daily backup does not check out: %v", err)
	}
	list, err := s.Backups(ctx)
	if err != nil || len(list) != 3 || list[0].Path != made || list[0].Kind != dbcopy.Daily || list[0].Size == 0 ||
		!list[0].Time.Equal(fixedNow.Truncate(time.Second)) {
		t.Errorf("Backups = %+v, %v", list, err)
	}
}

// restoreFixture makes a service holding the demo, a backup of it, then a
// change after the backup: restoring the backup must undo the change.
func restoreFixture(t *testing.T) (s *Service, backup string) {
	t.Helper()
	ctx := context.Background()
	s = newFileService(t, fixedNow)
	if _, err := s.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := s.BackUpNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "Added After The Backup"}); err != nil {
		t.Fatal(err)
	}
	return s, b.Path
}

func TestRestoreFileRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, backup := restoreFixture(t)
	before := exportString(t, s)
	// A setting of the database restored over must not outlive it.
	if err := s.SetReliabilityRules(ctx, ReliabilityRules{NoticeWindow: 3 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	var steps []string
	rep, err := s.RestoreFile(ctx, backup, func(step string) { steps = append(steps, step) })
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 4 {
		t.Errorf("progress steps: %q", steps)
	}
	if rows, _ := s.ListContacts(ctx, "added after"); len(rows) != 0 {
		t.Errorf("the contact added after the backup is still there: %+v", rows)
	}
	if n, _ := s.store().CountContacts(ctx); n != 40 {
		t.Errorf("%d contacts after restore, want the demo's 40", n)
	}
	if rep.Migrated || !strings.HasSuffix(rep.Kept, "-before-restore.db") {
		t.Errorf("report = %+v", rep)
	}
	if got := s.Rules().NoticeWindow; got != DefaultReliabilityRules().NoticeWindow {
		t.Errorf("notice window after restore = %v, want the restored database's default", got)
	}
	// The state before the restore is kept, whole: restoring it brings the
	// contact back.
	if _, err := s.RestoreFile(ctx, rep.Kept, nil); err != nil {
		t.Fatal(err)
	}
	if got := exportString(t, s); got != before {
		t.Error("restoring the before-restore backup did not give back the database as it was")
	}
	if v, err := s.store().IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Errorf("integrity after restores: %q %v", v, err)
	}
	if info, err := os.Stat(s.StorePath()); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("restored file mode: %v %v", info, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(s.StorePath()), ".*restore*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestRestoreFileRefusesAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	s, backup := restoreFixture(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	// Damage a page in the middle of the file, past the header.
	corrupt := append([]byte(nil), good...)
	for i := len(corrupt) / 2; i < len(corrupt)/2+4096 && i < len(corrupt); i++ {
		corrupt[i] = 0xA5
	}
	newer := filepath.Join(dir, "newer.db")
	if err := copyFile(backup, newer); err != nil {
		t.Fatal(err)
	}
	if err := modeltest.MarkNewer(newer, model.SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	if err := modeltest.ForeignSQLite(foreign); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		path string
		want string
	}{
		{write("notes.txt", []byte("Dear diary, today I sold three candles.\n")), "not a Rapport database"},
		{write("empty.db", nil), "empty"},
		{write("corrupt.db", corrupt), "damaged"},
		{newer, "newer version of Rapport"},
		{foreign, "without Rapport's tables"},
		{filepath.Join(dir, "missing.db"), "does not exist"},
		{dir, "folder"},
		{s.StorePath(), "the database in use"},
	} {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			before := exportString(t, s)
			backups, _ := s.Backups(ctx)
			_, err := s.RestoreFile(ctx, tc.path, nil)
			if err == nil {
				t.Fatal("restored")
			}
			if !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q should name %s and say %q", err, tc.path, tc.want)
			}
			if exportString(t, s) != before {
				t.Error("the database changed")
			}
			if after, _ := s.Backups(ctx); len(after) != len(backups) {
				t.Errorf("backups %d → %d: a refused restore should keep nothing", len(backups), len(after))
			}
		})
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(s.StorePath()), ".*restore*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestRestoreFileRefusedWhileAnotherHasTheDatabaseOpen(t *testing.T) {
	ctx := context.Background()
	s, backup := restoreFixture(t)
	other, err := model.Open(ctx, s.StorePath())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.CountContacts(ctx); err != nil {
		t.Fatal(err)
	}
	before := exportString(t, s)
	backups, _ := s.Backups(ctx)
	_, err = s.RestoreFile(ctx, backup, nil)
	if err == nil || !strings.Contains(err.Error(), "has the database open") {
		t.Fatalf("err = %v", err)
	}
	if exportString(t, s) != before {
		t.Error("the database changed")
	}
	// Refused before anything was written.
	if after, _ := s.Backups(ctx); len(after) != len(backups) {
		t.Errorf("backups %d → %d: a refused restore should keep no before-restore backup", len(backups), len(after))
	}
	// The other desk's store still works on the same file.
	if err := other.CreateContact(ctx, &model.Contact{DisplayName: "From The Other Window"}); err != nil {
		t.Fatal(err)
	}
	if rows, _ := s.ListContacts(ctx, "other window"); len(rows) != 1 {
		t.Errorf("the two stores no longer share the file: %+v", rows)
	}
}

func TestRestoreFileMigratesAnOlderBackup(t *testing.T) {
	ctx := context.Background()
	s, backup := restoreFixture(t)
	_ = backup
	old := filepath.Join(t.TempDir(), "old.db")
	if err := model.CreateAtVersion(ctx, old, model.SchemaVersion()-1); err != nil {
		t.Fatal(err)
	}
	rep, err := s.RestoreFile(ctx, old, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Migrated {
		t.Error("report should say the file was migrated")
	}
	list, _ := s.Backups(ctx)
	var kinds []string
	for _, b := range list {
		kinds = append(kinds, b.Kind)
	}
	if !strings.Contains(strings.Join(kinds, " "), fmt.Sprintf("before-v%d", model.SchemaVersion())) {
		t.Errorf("no migration backup among %v", kinds)
	}
	if n, _ := s.store().CountContacts(ctx); n != 0 {
		t.Errorf("%d contacts, want the old file's none", n)
	}
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "After The Upgrade", NewsletterConsent: true}); err != nil {
		t.Errorf("the upgraded file takes no new contact: %v", err)
	}
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o600)
}

func TestRestoreFileErrorsAreNotBackupErrors(t *testing.T) {
	s, _ := restoreFixture(t)
	_, err := s.RestoreFile(context.Background(), filepath.Join(t.TempDir(), "nope.db"), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v, want ErrNotExist", err)
	}
}

// The database most in need of a restore is a damaged one, which VACUUM
// INTO cannot copy: the restore keeps its files as they are and goes on.
func TestRestoreFileOverADamagedDatabase(t *testing.T) {
	ctx := context.Background()
	for _, at := range []float64{0.5, 0.6, 0.7, 0.4, 0.8} {
		s, backup := restoreFixture(t)
		path := s.StorePath()
		if err := s.Close(); err != nil { // folds the log into the file
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		from := int(float64(len(data))*at) / 4096 * 4096
		for i := from; i < min(len(data), from+3*4096); i++ {
			data[i] ^= 0x5A
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := model.Open(ctx, path)
		if err != nil {
			continue // damage found at open: not the case under test
		}
		damaged := New(st).WithClock(func() time.Time { return fixedNow })
		t.Cleanup(func() { damaged.Close() })
		if _, err := st.Backup(ctx, "probe"); err == nil {
			continue // VACUUM INTO did not meet these pages
		}
		rep, err := damaged.RestoreFile(ctx, backup, nil)
		if err != nil {
			t.Fatalf("restore over a database damaged from byte %d: %v", from, err)
		}
		if !rep.KeptAsIs {
			t.Errorf("report %+v: want the damaged files kept as they were", rep)
		}
		kept, err := os.ReadFile(rep.Kept)
		if err != nil || !bytes.Equal(kept, data) {
			t.Errorf("the kept copy is not the damaged file byte for byte (%v)", err)
		}
		if n, err := damaged.store().CountContacts(ctx); err != nil || n != 40 {
			t.Errorf("%d contacts after the restore (%v), want the backup's 40", n, err)
		}
		return
	}
	t.Fatal("no damage both let the database open and stopped VACUUM INTO: the test tests nothing")
}

// A restored database whose settings can't be read is still restored, and
// says so: the views must follow the file that is now in place.
func TestRestoreFileWithUnreadableSettingsStillRestores(t *testing.T) {
	ctx := context.Background()
	s, backup := restoreFixture(t)
	st, err := model.Open(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, noticeSetting, "soon"); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := s.RestoreFile(ctx, backup, nil)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if !strings.Contains(rep.Warning, noticeSetting) {
		t.Errorf("warning %q does not name the setting", rep.Warning)
	}
	if n, _ := s.store().CountContacts(ctx); n != 40 {
		t.Errorf("%d contacts after restore, want the backup's 40", n)
	}
	if got := s.Rules().NoticeWindow; got != DefaultReliabilityRules().NoticeWindow {
		t.Errorf("notice window %v, want the default", got)
	}
}

// TestRestoreFileRemovesCopiesACrashLeft: the copies a restore cut short
// left beside the database (with their log files) are removed when the
// next restore starts, whatever their age.
func TestRestoreFileRemovesCopiesACrashLeft(t *testing.T) {
	ctx := context.Background()
	s, backup := restoreFixture(t)
	dir := filepath.Dir(s.StorePath())
	base := filepath.Base(s.StorePath())
	left := []string{filepath.Join(dir, "."+base+".restore-1234"), filepath.Join(dir, "."+base+".restore-1234-wal")}
	for _, p := range left {
		if err := os.WriteFile(p, []byte("half a copy"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RestoreFile(ctx, backup, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range left {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s is still there", filepath.Base(p))
		}
	}
}

func TestBackUpToAFolderGivesARestorableCopy(t *testing.T) {
	ctx := context.Background()
	s := newFileService(t, fixedNow)
	if _, err := s.Demo(ctx); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	b, err := s.BackUpTo(ctx, stick)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(b.Path) != stick || !strings.HasSuffix(b.Path, "-manual.db") || b.Size == 0 || b.Dump {
		t.Errorf("copy = %+v", b)
	}
	if _, err := model.CheckFile(ctx, b.Path); err != nil {
		t.Errorf("the copy does not check out: %v", err)
	}
	if list, _ := s.Backups(ctx); len(list) != 0 {
		t.Errorf("a copy elsewhere went into backups/ too: %+v", list)
	}
	before := exportString(t, s)
	if err := s.CreateContact(ctx, &model.Contact{DisplayName: "After The Copy"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RestoreFile(ctx, b.Path, nil); err != nil {
		t.Fatal(err)
	}
	if got := exportString(t, s); got != before {
		t.Error("restoring the copy did not give back the database as it was")
	}
	// A folder that is not there (a stick not plugged in) is not made.
	gone := filepath.Join(stick, "unplugged")
	if _, err := s.BackUpTo(ctx, gone); err == nil {
		t.Error("a backup into a missing folder succeeded")
	}
	if _, err := os.Stat(gone); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the missing folder was created: %v", err)
	}
	partial, _ := filepath.Glob(filepath.Join(stick, "*.partial"))
	if len(partial) > 0 {
		t.Errorf("partial files left: %v", partial)
	}
}

func TestFormatSizeAsFileManagersShowIt(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 812_400: "812 kB", 109_100_000: "109 MB", 1_234_000_000: "1.2 GB", -5: "0 B"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
