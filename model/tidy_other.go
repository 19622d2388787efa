//go:build !unix

package model

// tightenModes does nothing: file modes mean nothing on Windows, where the
// user's own folders are private already.
func tightenModes(dbPath, backupsDir string) []string { return nil }
