package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/adrg/xdg"
)

// DocumentsDir is the owner's Documents folder, where a first save is
// offered: adrg/xdg finds it per system (XDG user-dirs on Linux with
// ~/Documents as fallback, ~/Documents on macOS, the Documents Known Folder
// on Windows). When that folder does not exist, the home folder.
func DocumentsDir() string {
	if dir := xdg.UserDirs.Documents; isDir(dir) {
		return dir
	}
	if home, err := os.UserHomeDir(); err == nil && isDir(home) {
		return home
	}
	return ""
}

// Place is a folder the owner often saves in or opens from.
type Place struct{ Name, Path string }

// Places are the owner's usual folders that exist on this computer (Home,
// Documents, Desktop, Downloads, where the system keeps them), then its
// drives: "/" or C:\, D:\…
func Places() []Place {
	var out []Place
	if home, err := os.UserHomeDir(); err == nil && isDir(home) {
		out = append(out, Place{"Home", home})
	}
	for _, p := range []Place{{"Documents", xdg.UserDirs.Documents}, {"Desktop", xdg.UserDirs.Desktop}, {"Downloads", xdg.UserDirs.Download}} {
		if p.Path != "" && isDir(p.Path) {
			out = append(out, p)
		}
	}
	for _, root := range driveRoots() {
		out = append(out, Place{root, root})
	}
	return out
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// Opener hands a saved file to the system: open it in its viewer (which
// prints), or show it in its folder. Which program does it depends on the
// system (see systemOpener in opener_*.go); a system without one has
// neither, and the window says the path in words instead.
type Opener struct {
	open   func(path string) []string // the command opening path; nil when there is none
	reveal func(path string) []string // the command showing path in its folder; nil when none
	// selectIn, where not nil, shows path in its folder with the file
	// selected; reveal is the fallback when it fails (no file manager
	// answers it).
	selectIn func(path string) []string
	// okExit: programs such as Windows' explorer exit 1 on success.
	okExit func(code int) bool
	// explain says in words what an exit status means, "" when unknown.
	explain func(code int) string
	// explainText does the same from what the program wrote on stderr.
	explainText func(stderr string) string
}

// SystemOpener looks up the system's opener now (exec.LookPath).
func SystemOpener() Opener { return systemOpener(exec.LookPath) }

// CanOpen reports whether Open can open a file.
func (o Opener) CanOpen() bool { return o.open != nil }

// CanShowInFolder reports whether ShowInFolder can show a file.
func (o Opener) CanShowInFolder() bool { return o.reveal != nil }

// Open opens path in the system's viewer for its kind.
func (o Opener) Open(path string) error {
	if o.open == nil {
		return fmt.Errorf("open %s: this computer has no program Rapport knows to open files with", path)
	}
	return o.start("open", path, o.open(path))
}

// ShowInFolder shows the folder holding path, the file selected where the
// system can.
func (o Opener) ShowInFolder(path string) error {
	if o.reveal == nil {
		return fmt.Errorf("show %s: this computer has no file manager Rapport knows", path)
	}
	if o.selectIn != nil && o.start("show", path, o.selectIn(path)) == nil {
		return nil
	}
	return o.start("show", path, o.reveal(path))
}

// openerWait is how long a viewer has to fail before it is taken to have
// opened: xdg-open runs some viewers in the foreground until they close.
const openerWait = 3 * time.Second

func (o Opener) start(verb, path string, argv []string) error {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr strings.Builder
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stderr = &limitedWriter{b: &stderr, left: 2000}
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		cancel()
		return fmt.Errorf("%s %s: %s could not be started: %w", verb, path, filepath.Base(argv[0]), err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); cancel() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if o.okExit != nil && o.okExit(exit.ExitCode()) {
				return nil
			}
			why := ""
			if o.explain != nil {
				why = o.explain(exit.ExitCode())
			}
			if why == "" && o.explainText != nil {
				why = o.explainText(stderr.String())
			}
			if msg := strings.TrimSpace(stderr.String()); why == "" && msg != "" {
				why = msg
			}
			if why == "" {
				why = exit.String()
			}
			return &OpenError{Verb: verb, Path: path, Program: filepath.Base(argv[0]), Why: why}
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", verb, path, err)
		}
		return nil
	case <-time.After(openerWait):
		// Still running: the viewer is open. It is waited for (and reaped)
		// by the goroutine above whenever it closes.
		return nil
	}
}

// OpenError is the system's program refusing to open or show a file, with
// why in its words or ours.
type OpenError struct {
	Verb, Path, Program, Why string
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("%s %s: %s: %s", e.Verb, e.Path, e.Program, e.Why)
}

// limitedWriter keeps the first bytes of what a program says on stderr.
type limitedWriter struct {
	b    *strings.Builder
	left int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	n := min(len(p), w.left)
	w.b.Write(p[:n])
	w.left -= n
	return len(p), nil
}
