package model_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model/modeltest"
)

// A backup cut short leaves no file that could pass for a backup, not even
// a partial one.
func TestBackupCutShortLeavesNothing(t *testing.T) {
	s := modeltest.Open(t, 5_000, 5)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	path, err := s.Backup(ctx, "daily")
	if err == nil {
		t.Skipf("the backup finished (%s) before it could be cut short", path)
	}
	if !errors.Is(err, context.Canceled) && ctx.Err() == nil {
		t.Fatalf("err = %v", err)
	}
	entries, err := os.ReadDir(s.BackupsDir())
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
	// And the next one works.
	if _, err := s.Backup(context.Background(), "daily"); err != nil {
		t.Fatal(err)
	}
}
