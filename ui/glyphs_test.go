package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoTextTheWindowFontCannotDraw reads the window's own texts (the
// string literals of this package) for characters Fyne's default font
// draws wrongly: "→ " came out as an arrow and a box, the space after it
// taken from a fallback font that has none. Menu paths are written
// "File › Import History…".
func TestNoTextTheWindowFontCannotDraw(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.ContainsRune(s, '→') {
				t.Errorf("%s: %q: the window's font draws → with a box after it", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
}
