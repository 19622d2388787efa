package app

// systemOpener is macOS's open; open -R shows the file selected in Finder.
func systemOpener(lookPath func(string) (string, error)) Opener {
	p, err := lookPath("open")
	if err != nil {
		return Opener{}
	}
	return Opener{
		open:   func(path string) []string { return []string{p, path} },
		reveal: func(path string) []string { return []string{p, "-R", path} },
	}
}
