// Package assets holds the files embedded in the binary: icon, fonts.
//
// It depends on the standard library only, so that every layer of the
// program (model, app, ui, cmd) can use it; wrap the bytes in a
// fyne.StaticResource where a Fyne resource is needed.
package assets

import _ "embed" // for go:embed

// Icon is the 512×512 PNG application icon (assets/icon.png). It is also
// the icon that `make package` puts into the desktop bundle.
//
//go:embed icon.png
var Icon []byte
