//go:build !linux

package model

// mappable is false where Rapport cannot tell a local disk from a network
// share or a removable stick: the database is then read without mapping
// (see dsn and mmap_linux.go).
func mappable(string) bool { return false }
