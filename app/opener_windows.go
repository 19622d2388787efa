package app

// systemOpener is explorer, which opens a file with its program and shows
// it selected in its folder with /select.
func systemOpener(lookPath func(string) (string, error)) Opener {
	p, err := lookPath("explorer")
	if err != nil {
		return Opener{}
	}
	return Opener{
		open:   func(path string) []string { return []string{p, path} },
		reveal: func(path string) []string { return []string{p, "/select," + path} },
		// explorer exits 1 even when it did what was asked.
		okExit: func(code int) bool { return code == 1 },
	}
}
