//go:build unix

package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// desk is the real rapport window on a private Xvfb display, driven with the
// keyboard and mouse (xdotool) and read back the way a person reads it: from
// a screenshot, through OCR (tesseract). Clicks aim at visible words, not at
// coordinates, so the walkthrough survives layout changes and fails when a
// label the owner needs is not on screen.
type desk struct {
	t       *testing.T
	ctx     context.Context
	bin     string
	db      string
	env     []string
	home    string
	shots   string // folder the screenshots are kept in
	window  string // X window id
	app     *exec.Cmd
	exited  chan error
	running bool
	output  *lockedBuffer
	step    int
}

// walkBinary builds the real binary once per test run.
var walkBinary = struct {
	once sync.Once
	path string
	err  error
}{}

func deskBinary(ctx context.Context, t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("RAPPORT_SMOKE_BIN"); bin != "" {
		return bin
	}
	walkBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "rapport-walk-bin-")
		if err != nil {
			walkBinary.err = err
			return
		}
		walkBinary.path = filepath.Join(dir, "rapport")
		build := exec.CommandContext(ctx, "go", "build", "-buildvcs=false", "-tags", "migrated_fynedo", "-o", walkBinary.path, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := build.CombinedOutput(); err != nil {
			walkBinary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if walkBinary.err != nil {
		t.Fatal(walkBinary.err)
	}
	return walkBinary.path
}

// newDesk prepares a private home, a database path and a screen of the given
// size; the window opens with open. RAPPORT_WALK_SHOTS names a folder that
// keeps the screenshots (one sub-folder per test) for a person to look at.
func newDesk(t *testing.T, width, height int) *desk {
	t.Helper()
	if os.Getenv("RAPPORT_SMOKE") != "1" {
		t.Skip("set RAPPORT_SMOKE=1 to drive the real window under Xvfb (make test does)")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "xprop", "import", "tesseract"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (make test-deps installs xvfb, xdotool, x11-utils, imagemagick, tesseract-ocr): %v", tool, err)
		}
	}
	ctx := t.Context()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-5*time.Second))
		t.Cleanup(cancel)
	}
	tmp := t.TempDir()
	d := &desk{t: t, ctx: ctx, bin: deskBinary(ctx, t), db: filepath.Join(tmp, "desk.db"), output: &lockedBuffer{}}
	d.home = filepath.Join(tmp, "home")
	env := setEnv(os.Environ(), "HOME", d.home)
	for _, name := range []string{"XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"} {
		dir := filepath.Join(tmp, strings.ToLower(name))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		env = setEnv(env, name, dir)
	}
	if err := os.MkdirAll(filepath.Join(d.home, "Documents"), 0o700); err != nil {
		t.Fatal(err)
	}
	env = setEnv(env, "LANG", "en_GB.UTF-8")
	env = setEnv(env, "LC_ALL", "")
	d.env = setEnv(env, "DISPLAY", startXvfbSized(ctx, t, width, height))
	d.shots = filepath.Join(tmp, "shots")
	if keep := os.Getenv("RAPPORT_WALK_SHOTS"); keep != "" {
		d.shots = filepath.Join(keep, t.Name())
		_ = os.RemoveAll(d.shots)
	}
	if err := os.MkdirAll(d.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// cli runs the binary headless on the desk's database, as a second process
// beside the window, and returns what it printed.
func (d *desk) cli(args ...string) string {
	d.t.Helper()
	cmd := exec.CommandContext(d.ctx, d.bin, append([]string{"--db", d.db}, args...)...)
	cmd.Env = d.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		d.t.Fatalf("rapport %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// open starts the window and waits until it is drawn.
func (d *desk) open() {
	t := d.t
	t.Helper()
	d.app = exec.Command(d.bin, "--db", d.db)
	d.app.Env = d.env
	d.app.Stdout = d.output
	d.app.Stderr = d.output
	if err := d.app.Start(); err != nil {
		t.Fatalf("start %s: %v", d.bin, err)
	}
	d.exited = make(chan error, 1)
	go func(app *exec.Cmd, exited chan error) { exited <- app.Wait() }(d.app, d.exited)
	d.running = true
	t.Cleanup(func() {
		if d.running {
			_ = d.app.Process.Kill()
			<-d.exited
		}
	})
	start := time.Now()
	for deadline := time.Now().Add(60 * time.Second); d.window == ""; {
		select {
		case err := <-d.exited:
			d.running = false
			t.Fatalf("app exited before its window appeared: %v\n%s", err, d.output.String())
		case <-time.After(250 * time.Millisecond):
		}
		out, _ := d.xdotool("search", "--name", "^Rapport$")
		if ids := strings.Fields(out); len(ids) > 0 {
			d.window = ids[0]
		} else if time.Now().After(deadline) {
			t.Fatalf("no window named Rapport after 60 s; app output:\n%s", d.output.String())
		}
	}
	t.Logf("window %s appeared after %v", d.window, since(start))
	time.Sleep(1500 * time.Millisecond) // the first frames
}

// quit ends the app the way a session manager does and checks it exits 0.
func (d *desk) quit() {
	d.t.Helper()
	if !d.running {
		return
	}
	if err := d.app.Process.Signal(syscall.SIGTERM); err != nil {
		d.t.Fatalf("SIGTERM: %v", err)
	}
	// The app gives its work 10 s before it ends itself with an error; at
	// 8 s a SIGQUIT makes Go print every goroutine's stack, so a hang
	// names where it waits.
	stacks := time.AfterFunc(8*time.Second, func() { _ = d.app.Process.Signal(syscall.SIGQUIT) })
	defer stacks.Stop()
	select {
	case err := <-d.exited:
		d.running = false
		d.window = ""
		if err != nil {
			d.t.Fatalf("app did not exit cleanly after SIGTERM: %v\n%s", err, d.output.String())
		}
	case <-time.After(15 * time.Second):
		d.t.Fatalf("app still running 15 s after SIGTERM; output:\n%s", d.output.String())
	}
}

func (d *desk) xdotool(args ...string) (string, error) {
	cmd := exec.CommandContext(d.ctx, "xdotool", args...)
	cmd.Env = d.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (d *desk) mustXdotool(args ...string) {
	d.t.Helper()
	if out, err := d.xdotool(args...); err != nil {
		d.t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// key presses keys such as "ctrl+f", "Return", "Escape", one after another.
func (d *desk) key(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.mustXdotool("key", "--clearmodifiers", k)
		time.Sleep(300 * time.Millisecond)
	}
}

// typeText types text into whatever has the keyboard focus.
func (d *desk) typeText(text string) {
	d.t.Helper()
	d.mustXdotool("type", "--delay", "40", text)
	time.Sleep(400 * time.Millisecond)
}

// clickAt clicks the screen position x, y.
func (d *desk) clickAt(x, y int) {
	d.t.Helper()
	d.mustXdotool("mousemove", "--sync", strconv.Itoa(x), strconv.Itoa(y))
	time.Sleep(150 * time.Millisecond)
	d.mustXdotool("click", "1")
	time.Sleep(700 * time.Millisecond)
}

// xprop reads a property of the window as the desktop sees it.
func (d *desk) xprop(property string) (string, error) {
	cmd := exec.CommandContext(d.ctx, "xprop", "-id", d.window, property)
	cmd.Env = d.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("xprop %s: %v\n%s", property, err, out)
	}
	return string(out), nil
}

// resize gives the window a new size, as the owner dragging its corner.
func (d *desk) resize(width, height int) {
	d.t.Helper()
	d.mustXdotool("windowsize", "--sync", d.window, strconv.Itoa(width), strconv.Itoa(height))
	time.Sleep(time.Second)
}

// shot saves the screen as NN-name.png in the shots folder and returns it.
func (d *desk) shot(name string) string {
	d.t.Helper()
	d.step++
	path := filepath.Join(d.shots, fmt.Sprintf("%02d-%s.png", d.step, name))
	cmd := exec.CommandContext(d.ctx, "import", "-window", "root", path)
	cmd.Env = d.env
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("import -window root: %v\n%s", err, out)
	}
	return path
}

// word is one word tesseract read, with its box on the screen.
type word struct {
	text                      string
	left, top, width, height  int
	block, paragraph, lineNum int
}

// geometry is the window's place and size on the screen.
func (d *desk) geometry() (x, y, w, h int) {
	d.t.Helper()
	out, err := d.xdotool("getwindowgeometry", "--shell", d.window)
	if err != nil {
		d.t.Fatalf("xdotool getwindowgeometry: %v\n%s", err, out)
	}
	for _, line := range strings.Fields(out) {
		k, v, _ := strings.Cut(line, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "X":
			x = n
		case "Y":
			y = n
		case "WIDTH":
			w = n
		case "HEIGHT":
			h = n
		}
	}
	return x, y, w, h
}

// read returns the words on screen now, in reading order, with their boxes
// in screen coordinates. Tesseract reads the window cut out of the screen
// (the black desktop around it makes it read nothing at all), once as it
// is and once in black and white, which reads white text on a coloured
// button; the words of both readings are returned one after the other.
func (d *desk) read(name string) []word {
	d.t.Helper()
	return d.readUntil(name, nil)
}

// readUntil is read that stops after the first reading if enough says the
// words it has are enough: each reading takes seconds on a busy machine.
func (d *desk) readUntil(name string, enough func([]word) bool) []word {
	d.t.Helper()
	shot := d.shot(name)
	x, y, w, h := d.geometry()
	var words []word
	for i, look := range [][]string{nil, {"-colorspace", "Gray", "-negate", "-threshold", "50%"}} {
		if i > 0 && enough != nil && enough(words) {
			break
		}
		window := fmt.Sprintf("%s.ocr%d.png", strings.TrimSuffix(shot, ".png"), i)
		args := append([]string{shot, "-crop", fmt.Sprintf("%dx%d+%d+%d", w, h, x, y), "+repage"}, look...)
		crop := exec.CommandContext(d.ctx, "convert", append(args, window)...)
		if out, err := crop.CombinedOutput(); err != nil {
			d.t.Fatalf("convert: %v\n%s", err, out)
		}
		out, err := exec.CommandContext(d.ctx, "tesseract", window, "-", "tsv").Output()
		os.Remove(window)
		if err != nil {
			d.t.Fatalf("tesseract %s: %v", shot, err)
		}
		words = append(words, tsvWords(string(out), x, y, i)...)
	}
	return words
}

// tsvWords reads tesseract's TSV, its boxes moved by x, y; reading tells
// one reading's blocks from another's.
func tsvWords(tsv string, x, y, reading int) []word {
	var words []word
	sc := bufio.NewScanner(strings.NewReader(tsv))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 12 || f[0] != "5" || strings.TrimSpace(f[11]) == "" {
			continue
		}
		n := make([]int, 10)
		for i := range n {
			n[i], _ = strconv.Atoi(f[i])
		}
		words = append(words, word{text: strings.TrimSpace(f[11]), block: reading*10000 + n[2], paragraph: n[3], lineNum: n[4],
			left: x + n[6], top: y + n[7], width: n[8], height: n[9]})
	}
	return words
}

// normal folds a word for comparison: OCR reads "…" and punctuation loosely.
func normal(s string) string {
	return strings.ToLower(strings.Trim(s, ".,:;…!?()[]\"'|"))
}

// locate finds phrase in words on one line, spaces aside (OCR at times
// runs two words together, "Syncnow"), and returns the centre of its box.
func locate(words []word, phrase string) (x, y int, ok bool) {
	want := normal(strings.ReplaceAll(phrase, " ", ""))
	for i := range words {
		got := ""
		for j := i; j < len(words); j++ {
			w := words[j]
			if w.block != words[i].block || w.lineNum != words[i].lineNum || w.paragraph != words[i].paragraph {
				break
			}
			if j == i {
				got = normal(w.text)
			} else {
				got += strings.ToLower(w.text)
				got = normal(got)
			}
			if got == want {
				return (words[i].left + w.left + w.width) / 2, words[i].top + words[i].height/2, true
			}
			if len(got) >= len(want) || !strings.HasPrefix(want, got) {
				break
			}
		}
	}
	return 0, 0, false
}

func text(words []word) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			if w.lineNum != words[i-1].lineNum || w.block != words[i-1].block {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w.text)
	}
	return b.String()
}

// see waits up to timeout until every phrase is on screen, and fails the
// test naming the screenshot and what was read if one never shows.
func (d *desk) see(name string, timeout time.Duration, phrases ...string) []word {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	missingIn := func(words []word) []string {
		var missing []string
		for _, p := range phrases {
			if _, _, ok := locate(words, p); !ok {
				missing = append(missing, p)
			}
		}
		return missing
	}
	for {
		words := d.readUntil(name, func(w []word) bool { return len(missingIn(w)) == 0 })
		missing := missingIn(words)
		if len(missing) == 0 {
			return words
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("%s: %q not on screen after %v (screenshot %s); read:\n%s", name, missing, timeout, d.lastShot(), text(words))
		}
		d.step-- // the retry replaces this screenshot
		time.Sleep(500 * time.Millisecond)
	}
}

// notSee fails if phrase is on screen.
func (d *desk) notSee(name, phrase string) {
	d.t.Helper()
	words := d.read(name)
	if _, _, ok := locate(words, phrase); ok {
		d.t.Fatalf("%s: %q is on screen (screenshot %s); read:\n%s", name, phrase, d.lastShot(), text(words))
	}
}

// click clicks the words of phrase where they are on screen now, waiting up
// to 10 s for them to appear.
func (d *desk) click(phrase string) {
	d.t.Helper()
	words := d.see("before-"+strings.ReplaceAll(strings.ToLower(phrase), " ", "-"), 10*time.Second, phrase)
	x, y, _ := locate(words, phrase)
	d.clickAt(x, y)
}

func (d *desk) lastShot() string {
	return filepath.Join(d.shots, fmt.Sprintf("%02d-*.png", d.step))
}
