// Package assets holds the files the app embeds: the icon and the fonts
// for scripts Fyne does not bundle. It imports neither Fyne nor ui, so any package may use
// it without pulling the toolkit in.
package assets

import (
	"bytes"
	_ "embed"
)

//go:embed icon.png
var iconPNG []byte

// IconPNG returns the 512x512 application icon (a green cross on a white
// rounded square) as PNG bytes. FyneApp.toml points `fyne package` at the
// same file. It returns a copy so no caller can change the embedded bytes.
func IconPNG() []byte {
	return bytes.Clone(iconPNG)
}
