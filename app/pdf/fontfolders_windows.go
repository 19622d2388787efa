package pdf

import (
	"os"
	"path/filepath"
)

// SystemFonts finds fonts in the Windows fonts folder and the user's own
// (fonts installed "for me only"). SimHei and DengXian are single TrueType
// files with Chinese and Japanese kana, Malgun Gothic with Korean; most
// other CJK fonts there are collections, which fpdf cannot embed.
func SystemFonts() FontFinder {
	windir := os.Getenv("WINDIR")
	if windir == "" {
		windir = `C:\Windows`
	}
	dirs := []string{filepath.Join(windir, "Fonts")}
	if local := os.Getenv("LOCALAPPDATA"); local != "" {
		dirs = append(dirs, filepath.Join(local, "Microsoft", "Windows", "Fonts"))
	}
	return FontFolders{Dirs: dirs, Prefer: []string{"arialuni.ttf", "Deng.ttf", "simhei.ttf", "malgun.ttf", "Nirmala.ttf"}}
}
