//go:build !unix && !windows

package app

// systemOpener: no known opener on this system; the window says the path.
func systemOpener(func(string) (string, error)) Opener { return Opener{} }
