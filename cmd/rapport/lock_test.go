//go:build unix

package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// TestConcurrentProcesses runs the real binary several times at once on one
// database: two imports of one file leave each card once, a restore during
// an import is refused before it writes anything, and commands started
// together make one daily backup between them, quietly.
func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports thousands of cards")
	}
	ctx := t.Context()
	dir := t.TempDir()
	bin := buildCLI(t, ctx)
	env := append(os.Environ(), "LANG=de_DE.UTF-8", "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	command := func(db string, args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, append([]string{"--db", db}, args...)...)
		cmd.Env = env
		return cmd
	}
	count := func(db string) int {
		st, err := model.OpenReadOnly(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		n, err := st.CountContacts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	backups := func(db, kind string) []string {
		base := strings.TrimSuffix(filepath.Base(db), ".db")
		list, _ := filepath.Glob(filepath.Join(filepath.Dir(db), "backups", base+"-*-"+kind+"*.db"))
		return list
	}
	const cards = 5_000
	file := filepath.Join(dir, "phone.vcf")
	phoneCards(t, file, cards)

	t.Run("two imports of one file at once", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "shop.db")
		// The database exists first, so that both imports start at once
		// rather than one creating it.
		if out, err := command(db, "list").CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		var wg sync.WaitGroup
		outs := make([][]byte, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() { outs[i], errs[i] = command(db, "import", file).Output() })
		}
		wg.Wait()
		for i := range 2 {
			if errs[i] != nil || !strings.HasPrefix(string(outs[i]), file+": imported ") {
				t.Errorf("import %d: %v\n%s", i+1, errs[i], outs[i])
			}
		}
		if n := count(db); n != cards {
			t.Errorf("%d contacts after two imports of %d cards at once, want %d", n, cards, cards)
		}
	})

	t.Run("a restore while an import runs", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "shop.db")
		if out, err := command(db, "demo").CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		out, err := command(db, "backup").Output()
		if err != nil {
			t.Fatal(err)
		}
		backup := strings.TrimSpace(string(out))
		demo := count(db)
		imp := command(db, "import", file)
		var impOut lockedBuffer
		imp.Stdout, imp.Stderr = &impOut, &impOut
		if err := imp.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- imp.Wait() }()
		// Once the import has written its first chunk, it is surely under way.
		for count(db) == demo {
			select {
			case err := <-exited:
				t.Fatalf("the import ended before the restore began: %v\n%s", err, impOut.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		res, err := command(db, "restore", backup).CombinedOutput()
		if err == nil || !strings.Contains(string(res), "an import into the database is under way") {
			t.Errorf("restore during an import: %v\n%s", err, res)
		}
		if err := <-exited; err != nil || !strings.HasPrefix(impOut.String(), file+": imported ") {
			t.Fatalf("import: %v\n%s", err, impOut.String())
		}
		if n := count(db); n != demo+cards {
			t.Errorf("%d contacts after the import, want %d", n, demo+cards)
		}
		if kept := backups(db, "before-restore"); len(kept) > 0 {
			t.Errorf("a refused restore kept a before-restore backup: %v", kept)
		}
	})

	t.Run("a restore while another process has the database open", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "shop.db")
		if out, err := command(db, "import", file).CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		out, err := command(db, "backup").Output()
		if err != nil {
			t.Fatal(err)
		}
		backup := strings.TrimSpace(string(out))
		// An export into a pipe nobody reads: megabytes of JSON, so the
		// process stays with the database open, and no import lock, until
		// the pipe is read.
		export := command(db, "export", "--format", "json")
		pipe, err := export.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := export.Start(); err != nil {
			t.Fatal(err)
		}
		if _, err := pipe.Read(make([]byte, 1)); err != nil { // it has begun
			t.Fatal(err)
		}
		res, err := command(db, "restore", backup).CombinedOutput()
		if err == nil || !strings.Contains(string(res), "another Rapport window or command has the database open") {
			t.Errorf("restore while another process has the database open: %v\n%s", err, res)
		}
		if kept := backups(db, "before-restore"); len(kept) > 0 {
			t.Errorf("a refused restore kept a before-restore backup: %v", kept)
		}
		if _, err := io.Copy(io.Discard, pipe); err != nil {
			t.Fatal(err)
		}
		if err := export.Wait(); err != nil {
			t.Fatalf("export: %v", err)
		}
		if n := count(db); n != cards {
			t.Errorf("%d contacts, want %d", n, cards)
		}
	})

	t.Run("commands at once on a database due its daily backup", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "shop.db")
		// demo runs the day's backup before it fills the empty database:
		// none is made, and the next commands are due one.
		if out, err := command(db, "demo").CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if list := backups(db, "daily"); len(list) != 0 {
			t.Fatalf("daily backups before: %v", list)
		}
		const n = 4
		var wg sync.WaitGroup
		stderr := make([]strings.Builder, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				cmd := command(db, "list")
				cmd.Stderr = &stderr[i]
				errs[i] = cmd.Run()
			})
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil || stderr[i].Len() > 0 {
				t.Errorf("list %d: %v\n%s", i+1, errs[i], stderr[i].String())
			}
		}
		if list := backups(db, "daily"); len(list) != 1 {
			t.Errorf("%d daily backups, want 1: %v", len(list), list)
		}
	})
}
