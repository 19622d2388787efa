//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// card is what one generated vCard holds, to check a contact against:
// phones in their international form, as the import normalises them.
type card struct {
	phones, emails []string
}

// e164 is a German number of the test in its international form.
func e164(number string) string {
	n := strings.ReplaceAll(number, " ", "")
	if strings.HasPrefix(n, "0") {
		n = "+49" + n[1:]
	}
	return n
}

// killCards is how many cards the kill test imports.
const killCards = 50_000

// phoneCards writes n cards as phones export them, half vCard 3.0 (iPhone),
// half 2.1 with quoted-printable names and addresses (Android), one in 50
// with a photo, each with 1 to 3 phones and 0 to 2 emails of its own, and
// returns what each card holds by name.
func phoneCards(t *testing.T, path string, n int) map[string]card {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 96, 96))
	for x := range 96 {
		for y := range 96 {
			img.Set(x, y, color.RGBA{uint8(x * 3), uint8(y * 5), uint8(x ^ y), 255})
		}
	}
	var photo bytes.Buffer
	jpeg.Encode(&photo, img, &jpeg.Options{Quality: 80})
	b64 := base64.StdEncoding.EncodeToString(photo.Bytes())
	qp := func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			if c >= 128 || c == '=' || c == ' ' {
				fmt.Fprintf(&b, "=%02X", c)
			} else {
				b.WriteByte(c)
			}
		}
		return b.String()
	}
	given := []string{"Anna", "Jörg", "Łukasz", "Maria", "Sofia", "Olga", "Chen", "Ahmed", "Zoë"}
	family := []string{"Müller", "Keller", "Nowak", "García", "Petrova", "Weber", "Schmidt", "Fischer", "Öztürk"}
	want := make(map[string]card, n)
	var buf bytes.Buffer
	for i := range n {
		g, f := given[i%len(given)], family[(i/len(given))%len(family)]
		name := fmt.Sprintf("%s %s %05d", g, f, i)
		var c card
		if i%2 == 0 {
			fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\nN:%s;%s;;;\r\nFN:%s\r\n", f, g, name)
			for k := range 1 + i%3 {
				number := fmt.Sprintf("+49 15%d %08d", k+1, i)
				c.phones = append(c.phones, e164(number))
				fmt.Fprintf(&buf, "item%d.TEL;type=pref:%s\r\nitem%d.X-ABLabel:_$!<Mobile>!$_\r\n", k+1, number, k+1)
			}
			for k := range i % 3 {
				c.emails = append(c.emails, fmt.Sprintf("p%d.%d@example.com", i, k))
				fmt.Fprintf(&buf, "EMAIL;type=INTERNET;type=HOME:%s\r\n", c.emails[k])
			}
			fmt.Fprintf(&buf, "BDAY;X-APPLE-OMIT-YEAR=1604:1604-%02d-%02d\r\nNOTE:met at the market\r\n", 1+i%12, 1+i%28)
		} else {
			fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:%s;%s;;;\r\n"+
				"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:%s\r\n", qp(f), qp(g), qp(name))
			for k := range 1 + i%3 {
				number := fmt.Sprintf("0%d %07d", 171+k, i)
				c.phones = append(c.phones, e164(number))
				fmt.Fprintf(&buf, "TEL;CELL:%s\r\n", number)
			}
			for k := range i % 3 {
				c.emails = append(c.emails, fmt.Sprintf("p%d.%d@example.com", i, k))
				fmt.Fprintf(&buf, "EMAIL;HOME:%s\r\n", c.emails[k])
			}
			fmt.Fprintf(&buf, "ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;%s;Berlin;;10115;Deutschland\r\n", qp(fmt.Sprintf("Hauptstraße %d", i)))
		}
		if i%50 == 0 {
			buf.WriteString("PHOTO;ENCODING=b;TYPE=JPEG:")
			for len(b64) > 0 {
				k := min(74, len(b64))
				buf.WriteString(b64[:k] + "\r\n ")
				b64 = b64[k:]
			}
			b64 = base64.StdEncoding.EncodeToString(photo.Bytes())
			buf.WriteString("\r\n")
		}
		buf.WriteString("END:VCARD\r\n")
		slices.Sort(c.phones)
		slices.Sort(c.emails)
		want[name] = c
	}
	writeFile(t, path, buf.Bytes())
	return want
}

// buildCLI builds the rapport binary with Fyne's headless driver (-tags ci):
// the same main package and commands, without cgo, so that the test does
// not wait minutes for the GL driver on a cold build cache.
func buildCLI(t *testing.T, ctx context.Context) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "rapport")
	start := time.Now()
	build := exec.CommandContext(ctx, "go", "build", "-buildvcs=false", "-tags", "migrated_fynedo ci", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built %s in %v", bin, since(start))
	return bin
}

// buildDBCheck builds testdata/dbcheck, which reads a database for the
// test at full speed, outside the race detector.
func buildDBCheck(t *testing.T, ctx context.Context) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dbcheck")
	build := exec.CommandContext(ctx, "go", "build", "-buildvcs=false", "-o", bin, "./testdata/dbcheck")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestKillDuringImport imports 50,000 cards with the real binary and kills
// it with SIGKILL part way, three times at growing counts, each kill picking
// up where the last left off, and in between stops it with SIGINT (Ctrl-C),
// which it answers by saying what it kept and how to take it back: after each the
// database opens, passes PRAGMA integrity_check and holds only whole
// cards; the last import completes with every card, none twice.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports 50,000 cards four times over")
	}
	ctx := t.Context()
	dir := t.TempDir()
	bin, check := buildCLI(t, ctx), buildDBCheck(t, ctx)
	db, file := filepath.Join(dir, "shop.db"), filepath.Join(dir, "phone.vcf")
	start := time.Now()
	want := phoneCards(t, file, killCards)
	t.Logf("wrote %d cards in %v", killCards, since(start))
	env := append(os.Environ(), "LANG=de_DE.UTF-8", "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)

	// A read-only connection, kept: opening one per look would cost as
	// much as the count itself.
	var reader *model.Store
	t.Cleanup(func() {
		if reader != nil {
			reader.Close()
		}
	})
	count := func() int {
		if reader == nil {
			if _, err := os.Stat(db); err != nil {
				return 0 // not made yet
			}
			var err error
			if reader, err = model.OpenReadOnly(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
		n, _ := reader.CountContacts(ctx)
		return int(n)
	}
	have := 0
	for _, killAt := range []int{3_000, 20_000, 30_000, 38_000} {
		stop := syscall.SIGKILL
		if killAt == 30_000 {
			stop = syscall.SIGINT
		}
		start := time.Now()
		cmd := exec.CommandContext(ctx, bin, "--db", db, "import", file)
		cmd.Env = env
		var out lockedBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		// Poll a read-only connection until the import has committed
		// enough, then kill it in the middle of whatever it is doing.
		n := 0
	poll:
		for {
			select {
			case err := <-exited:
				t.Fatalf("the import ended before it was killed (%d contacts): %v\n%s", n, err, out.String())
			case <-time.After(50 * time.Millisecond):
			}
			if n = count(); n >= killAt {
				break poll
			}
		}
		// Somewhere into the next chunk: reading, mapping or writing it.
		time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
		if err := cmd.Process.Signal(stop); err != nil {
			t.Fatal(err)
		}
		err := <-exited
		if stop == syscall.SIGINT {
			have = checkWholeCards(t, ctx, check, db, want, have)
			checkInterrupted(t, err, out.String(), file, have)
			continue
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("the import was not killed: %v\n%s", err, out.String())
		}
		t.Logf("killed at %d contacts after %v", n, since(start))
		have = checkWholeCards(t, ctx, check, db, want, have)
	}

	// Importing once more brings in the rest: the cards already here are
	// merged without change, and nothing is there twice.
	start = time.Now()
	cmd := exec.CommandContext(ctx, bin, "--db", db, "import", file)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the import after the kills: %v\n%s", err, out)
	}
	wantLine := fmt.Sprintf("%s: imported %d, merged %d, skipped 0\n", file, killCards-have, have)
	if string(out) != wantLine {
		t.Errorf("the last import said %q, want %q", out, wantLine)
	}
	t.Logf("the last import took %v", since(start))
	if n := checkWholeCards(t, ctx, check, db, want, have); n != killCards {
		t.Errorf("%d contacts after the last import, want %d", n, killCards)
	}
}

// checkInterrupted checks what an import stopped by SIGINT said: the
// report, cancelled, and how many cards it kept (all of the file's first
// have, the earlier ones merged) and how to take them back; and that it
// failed, for scripts, rather than being killed.
func checkInterrupted(t *testing.T, err error, out, file string, have int) {
	t.Helper()
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 1 {
		t.Fatalf("the interrupted import ended with %v, want exit status 1\n%s", err, out)
	}
	said := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(file) + `: imported (\d+), merged (\d+), skipped 0 \(cancelled\)\n` +
		`rapport import: interrupted: the (\d+) cards read before it stopped are kept \(rapport undo-import \d+ takes them back\)\n\z`).FindStringSubmatch(out)
	if said == nil {
		t.Fatalf("the interrupted import said:\n%s", out)
	}
	created, _ := strconv.Atoi(said[1])
	merged, _ := strconv.Atoi(said[2])
	kept, _ := strconv.Atoi(said[3])
	if kept != created+merged || kept != have || have == killCards {
		t.Errorf("the interrupted import kept %d (imported %d, merged %d); the database holds %d", kept, created, merged, have)
	}
}

// checkWholeCards reads the database after a kill (with dbcheck): it
// passes integrity_check, and every contact is one of the cards, whole
// (exactly its phones and emails), none twice; at least as many as before.
// It returns how many contacts there are.
func checkWholeCards(t *testing.T, ctx context.Context, dbcheck, db string, want map[string]card, before int) int {
	t.Helper()
	start := time.Now()
	cmd := exec.CommandContext(ctx, dbcheck, db)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		t.Fatalf("dbcheck: %v\n%s", err, stderr.String())
	}
	var got struct {
		Integrity string `json:"integrity"`
		Contacts  []struct {
			Name   string   `json:"name"`
			Phones []string `json:"phones"`
			Emails []string `json:"emails"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Integrity != "ok" {
		t.Fatalf("integrity check: %q", got.Integrity)
	}
	seen := make(map[string]bool, len(got.Contacts))
	bad := 0
	for _, c := range got.Contacts {
		w, ok := want[c.Name]
		switch {
		case !ok:
			t.Errorf("a contact %q that is no card", c.Name)
		case seen[c.Name]:
			t.Errorf("%q is there twice", c.Name)
		case !slices.Equal(c.Phones, w.phones) || !slices.Equal(c.Emails, w.emails):
			t.Errorf("%q holds phones %q and emails %q, its card %q and %q", c.Name, c.Phones, c.Emails, w.phones, w.emails)
		default:
			seen[c.Name] = true
			continue
		}
		if bad++; bad > 10 {
			t.FailNow()
		}
	}
	if len(got.Contacts) < before {
		t.Errorf("%d contacts, fewer than the %d before", len(got.Contacts), before)
	}
	t.Logf("%d contacts, all whole, checked in %v", len(got.Contacts), since(start))
	return len(got.Contacts)
}
