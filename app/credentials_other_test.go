//go:build !unix

package app

import "testing"

// Windows keeps no Unix modes: the file sits in the owner's profile.
func assertMode0600(*testing.T, string) {}
