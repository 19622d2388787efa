//go:build unix

package model

import (
	"bytes"
	"context"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenTightensModes: a database, its log and its backups that others
// could read are made private at open, and the owner told once.
func TestOpenTightensModes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	s, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	backup, err := s.Backup(ctx, "manual")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, p := range []string{db, backup} {
		os.Chmod(p, 0o644)
	}
	os.Chmod(filepath.Dir(backup), 0o755)
	var said bytes.Buffer
	log.SetOutput(&said)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	for range 2 {
		s, err := Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	for p, want := range map[string]os.FileMode{db: 0o600, backup: 0o600, filepath.Dir(backup): 0o700} {
		if info, err := os.Stat(p); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want %04o", p, info.Mode(), err, want)
		}
	}
	if n := strings.Count(said.String(), "readable by you only"); n != 1 || !strings.Contains(said.String(), db+" (was 0644)") {
		t.Errorf("told %d times: %q", n, said.String())
	}
}
