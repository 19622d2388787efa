//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestSmokeWindow builds the real binary (cgo, GL driver), fills a fresh
// database with demo data, opens the main window on a private Xvfb display,
// checks that something was drawn, and quits the app with SIGTERM.
//
// It runs only with RAPPORT_SMOKE=1 (make test sets it) and then needs Xvfb,
// xdotool and ImageMagick's import (make test-deps installs them).
// RAPPORT_SMOKE_SHOT=<file.png> keeps the screenshot;
// RAPPORT_SMOKE_BIN=<binary> tests that binary instead of building one.
func TestSmokeWindow(t *testing.T) {
	if os.Getenv("RAPPORT_SMOKE") != "1" {
		t.Skip("set RAPPORT_SMOKE=1 to open the real window under Xvfb (make test does)")
	}
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (make test-deps installs xvfb, xdotool, imagemagick): %v", tool, err)
		}
	}

	ctx := t.Context()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-5*time.Second))
		t.Cleanup(cancel)
	}
	tmp := t.TempDir()
	db := filepath.Join(tmp, "smoke.db")

	bin := os.Getenv("RAPPORT_SMOKE_BIN")
	if bin == "" {
		bin = filepath.Join(tmp, "rapport")
		start := time.Now()
		// -buildvcs=false: VCS stamping fails in checkouts git refuses to read
		// (other owner) and the smoke test does not need it.
		build := exec.CommandContext(ctx, "go", "build", "-buildvcs=false", "-tags", "migrated_fynedo", "-o", bin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		t.Logf("built %s in %v", bin, since(start))
	}

	// The children get their own X display, runtime and config folders, so
	// the test never touches the user's desktop or settings.
	env := os.Environ()
	for _, name := range []string{"XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"} {
		dir := filepath.Join(tmp, strings.ToLower(name))
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		env = setEnv(env, name, dir)
	}

	start := time.Now()
	demoCtx, cancelDemo := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelDemo()
	demo := exec.CommandContext(demoCtx, bin, "--db", db, "demo")
	demo.Env = env
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("%s --db %s demo: %v\n%s", bin, db, err, out)
	}
	t.Logf("demo data written in %v", since(start))

	display := startXvfb(ctx, t)
	env = setEnv(env, "DISPLAY", display)

	start = time.Now()
	var output lockedBuffer
	app := exec.Command(bin, "--db", db)
	app.Env = env
	app.Stdout = &output
	app.Stderr = &output
	if err := app.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	running := true
	t.Cleanup(func() {
		if running {
			_ = app.Process.Kill()
			<-exited
		}
	})

	// Wait for the window titled exactly "Rapport".
	var window string
	for deadline := time.Now().Add(60 * time.Second); window == ""; {
		select {
		case err := <-exited:
			running = false
			t.Fatalf("app exited before its window appeared: %v\n%s", err, output.String())
		case <-time.After(250 * time.Millisecond):
		}
		search := exec.CommandContext(ctx, "xdotool", "search", "--name", "^Rapport$")
		search.Env = env
		out, _ := search.Output() // exit status 1 while there is no match
		if ids := strings.Fields(string(out)); len(ids) > 0 {
			window = ids[0]
		} else if time.Now().After(deadline) {
			t.Fatalf("no window named Rapport after 60 s; app output:\n%s", output.String())
		}
	}
	t.Logf("window %s appeared after %v", window, since(start))

	time.Sleep(2 * time.Second) // let it render the first frames

	shot := os.Getenv("RAPPORT_SMOKE_SHOT")
	if shot == "" {
		shot = filepath.Join(tmp, "smoke.png")
	} else if abs, err := filepath.Abs(shot); err == nil {
		shot = abs
	}
	imp := exec.CommandContext(ctx, "import", "-window", "root", shot)
	imp.Env = env
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import -window root: %v\n%s", err, out)
	}
	varied, err := variedFraction(shot)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s: %.1f%% of pixels differ from the corner pixel", shot, 100*varied)
	if varied < 0.02 {
		t.Errorf("screenshot is (nearly) one flat colour: the window did not render; app output:\n%s", output.String())
	}

	// Quit the way a session manager or `kill` does.
	start = time.Now()
	if err := app.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-exited:
		running = false
		if err != nil {
			t.Fatalf("app did not exit cleanly after SIGTERM: %v\n%s", err, output.String())
		}
		t.Logf("app exited 0 %v after SIGTERM", since(start))
	case <-time.After(15 * time.Second):
		t.Fatalf("app still running 15 s after SIGTERM; output:\n%s", output.String())
	}
}

// startXvfb starts a private X server on a free display and returns its
// name (":N"). Xvfb picks the number itself and reports it on -displayfd
// once it accepts connections. The server is stopped when the test ends.
func startXvfb(ctx context.Context, t *testing.T) string {
	t.Helper()
	return startXvfbSized(ctx, t, 1280, 800)
}

// startXvfbSized is startXvfb with a screen of width × height pixels.
func startXvfbSized(ctx context.Context, t *testing.T, width, height int) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var output lockedBuffer
	// -br: black root window, so a screenshot of an undrawn screen is flat.
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", width, height), "-nolisten", "tcp", "-br")
	xvfb.ExtraFiles = []*os.File{w} // fd 3 in the child
	xvfb.Stdout = &output
	xvfb.Stderr = &output
	if err := xvfb.Start(); err != nil {
		w.Close()
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	exited := make(chan error, 1)
	go func() { exited <- xvfb.Wait() }()
	t.Cleanup(func() {
		_ = xvfb.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = xvfb.Process.Kill()
			<-exited
		}
	})

	number := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		number <- strings.TrimSpace(line)
	}()
	select {
	case n := <-number:
		if n == "" {
			t.Fatalf("Xvfb reported no display number; output:\n%s", output.String())
		}
		t.Logf("Xvfb running on :%s", n)
		return ":" + n
	case err := <-exited:
		t.Fatalf("Xvfb exited: %v\n%s", err, output.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("Xvfb not ready after 30 s; output:\n%s", output.String())
	case <-ctx.Done():
		t.Fatalf("Xvfb: %v", ctx.Err())
	}
	return ""
}

// variedFraction returns the share of pixels in the PNG file that differ
// from its top-left pixel.
func variedFraction(path string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return 0, err
	}
	b := img.Bounds()
	if b.Empty() {
		return 0, errors.New("empty screenshot " + path)
	}
	corner := rgba(img, b.Min.X, b.Min.Y)
	varied := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if rgba(img, x, y) != corner {
				varied++
			}
		}
	}
	return float64(varied) / float64(b.Dx()*b.Dy()), nil
}

func rgba(img image.Image, x, y int) [4]uint32 {
	r, g, b, a := img.At(x, y).RGBA()
	return [4]uint32{r, g, b, a}
}

// setEnv returns env with name set to value, replacing an earlier entry.
func setEnv(env []string, name, value string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return append(out, name+"="+value)
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
