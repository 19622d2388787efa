//go:build unix

package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// specialFiles makes a FIFO and a socket in dir and names the two devices
// every Unix has, each with the kind the message must say.
func specialFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	fifo := filepath.Join(dir, "pipe.vcf")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return map[string]string{
		fifo:        "is a named pipe (FIFO), not a file",
		sock:        "is a socket, not a file",
		"/dev/null": "is a device, not a file",
		"/dev/zero": "is a device, not a file",
	}
}

// TestSpecialFilesRefusedAtOnce runs the real binary on a named pipe, a
// socket, /dev/null and /dev/zero as the file to import, the backup to
// restore and the database: each is refused within seconds (a FIFO used to
// hang forever, /dev/zero to fill the disk), naming the file and its kind,
// with nothing changed.
func TestSpecialFilesRefusedAtOnce(t *testing.T) {
	ctx := t.Context()
	bin := buildCLI(t, ctx)
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	if r := rapport(t, nil, "--db", db, "demo"); r.code != 0 {
		t.Fatal(r)
	}
	rapport(t, nil, "--db", db, "list") // the day's backup, made now rather than during the cases
	special := filepath.Join(dir, "special")
	os.Mkdir(special, 0o700)
	files := specialFiles(t, special)
	before := digest(t, db)
	listing := func() string {
		var names []string
		for _, d := range []string{dir, special, filepath.Join(dir, "backups")} {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				names = append(names, e.Name())
			}
		}
		return strings.Join(names, " ")
	}
	files0 := listing()
	for path, kind := range files {
		for _, args := range [][]string{
			{"--db", db, "import", path},
			{"--db", db, "restore", path},
			{"--db", path, "list"},
		} {
			runCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			cmd := exec.CommandContext(runCtx, bin, args...)
			cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+dir)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			start := time.Now()
			err := cmd.Run()
			took := time.Since(start)
			cancel()
			code := cmd.ProcessState.ExitCode()
			if code != 1 || !strings.Contains(stderr.String(), path) || !strings.Contains(stderr.String(), kind) {
				t.Errorf("rapport %v: exit %d (%v) after %v, stderr %q; want 1 and %q", args, code, err, took.Round(time.Millisecond), stderr.String(), kind)
			}
			if took > 5*time.Second {
				t.Errorf("rapport %v took %v", args, took.Round(time.Millisecond))
			}
		}
	}
	if digest(t, db) != before {
		t.Error("the database changed")
	}
	if now := listing(); now != files0 {
		t.Errorf("files now %s, were %s", now, files0)
	}
}

// TestOutputOnlyToAFile: -o names a device, a FIFO, a socket, a symbolic
// link or a folder: refused, each left as it was; a plain file is replaced
// and a new name written.
func TestOutputOnlyToAFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	if r := rapport(t, nil, "--db", db, "demo"); r.code != 0 {
		t.Fatal(r)
	}
	special := filepath.Join(dir, "special")
	os.Mkdir(special, 0o700)
	target := writeFile(t, filepath.Join(dir, "target.txt"), []byte("keep me"))
	link := filepath.Join(dir, "link.json")
	os.Symlink(target, link)
	folder := filepath.Join(dir, "folder.json")
	os.Mkdir(folder, 0o700)
	outs := map[string]string{link: "it is a symbolic link", folder: "it is a folder, not a file"}
	for path, kind := range specialFiles(t, special) {
		if !strings.HasPrefix(path, "/dev/") { // never written to, even by a broken build
			outs[path] = "it " + kind
		}
	}
	if os.Geteuid() == 0 {
		dev := filepath.Join(special, "null")
		if err := syscall.Mknod(dev, syscall.S_IFCHR|0o600, 1<<8|3); err == nil {
			outs[dev] = "it is a device, not a file"
		}
	} else {
		t.Log("not root: no device made to write to")
	}
	for path, want := range outs {
		info0, _ := os.Lstat(path)
		for _, args := range [][]string{{"export", "-o", path}, {"print", "labels", "--test", "-o", path}} {
			r := rapport(t, nil, append([]string{"--db", db}, args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, "write "+path+": "+want) {
				t.Errorf("%v: %+v; want %q", args, r, want)
			}
			if info, err := os.Lstat(path); err != nil || info.Mode() != info0.Mode() {
				t.Errorf("%s is now %v (%v), was %v", path, info.Mode(), err, info0.Mode())
			}
		}
	}
	if data, _ := os.ReadFile(target); string(data) != "keep me" {
		t.Errorf("the link's target now holds %q", data)
	}
	for _, path := range []string{target, filepath.Join(dir, "new.json")} {
		if r := rapport(t, nil, "--db", db, "export", "-o", path); r.code != 0 {
			t.Errorf("export -o %s: %+v", path, r)
		}
		if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() || info.Size() < 1000 {
			t.Errorf("%s: %v %v", path, info, err)
		}
	}
}
