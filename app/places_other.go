//go:build !windows

package app

// driveRoots is the one root of the file system; sticks and disks are
// folders under it (/media, /Volumes).
func driveRoots() []string { return []string{"/"} }
