package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // to make the foreign and newer databases the tests refuse

	"github.com/rapportjournal/rapport/model"
)

// digest is a checksum of every table's rows: what a refused command must
// leave as it was. The file's bytes may change (WAL) without its data.
func digest(t *testing.T, db string) string {
	t.Helper()
	st, err := model.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := st.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fileSum is a checksum of a file's bytes, "" when it does not exist.
func fileSum(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeJunk writes size random bytes to path, a megabyte at a time.
func writeJunk(t *testing.T, path string, size int, prefix, suffix string) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rng := rand.NewChaCha8([32]byte{7})
	buf := make([]byte, 1<<20)
	f.WriteString(prefix)
	for left := size; left > 0; left -= len(buf) {
		rng.Read(buf)
		if _, err := f.Write(buf[:min(left, len(buf))]); err != nil {
			t.Fatal(err)
		}
	}
	f.WriteString(suffix)
	return path
}

func pngFile(t *testing.T, path string) string {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 8)))
	return writeFile(t, path, buf.Bytes())
}

func gzipFile(t *testing.T, path string, content string) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(content))
	zw.Close()
	return writeFile(t, path, buf.Bytes())
}

// backupJSON is a backup of the given contacts (JSON objects).
func backupJSON(version int, contacts ...string) string {
	return fmt.Sprintf(`{"format":"rapport-backup","version":%d,"exported_at":"2026-11-23T09:30:00Z","contacts":[%s]}`,
		version, strings.Join(contacts, ","))
}

func contactJSON(id, name, more string) string {
	if more != "" {
		more = "," + more
	}
	return fmt.Sprintf(`{"id":%q,"name":%q,"stage":"client"%s}`, id, name, more)
}

// peakHeap runs fn and returns the most heap it added, sampled.
func peakHeap(fn func()) int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := int64(ms.HeapAlloc)
	var peak atomic.Int64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if h := int64(ms.HeapAlloc) - base; h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-sampled
	return peak.Load()
}

const shortVCard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zed Zimmer\r\nTEL:+49 30 9999999\r\nEND:VCARD\r\n"

// TestBadImportFilesChangeNothing runs `rapport import` on every kind of bad
// file, as a vCard file and as a backup: each is refused with a message
// naming the file, exit status 1, and the database's data as it was.
func TestBadImportFilesChangeNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	if r := rapport(t, nil, "--db", db, "demo"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	folder := filepath.Join(dir, "folder")
	os.Mkdir(folder+".vcf", 0o700)
	os.Mkdir(folder+".json", 0o700)
	type bad struct {
		name, path string
		want       string // in the message, besides the path
		maxHeap    int64  // bytes the command may add to the heap; 0: not measured
	}
	cases := []bad{
		{"missing vcf", filepath.Join(dir, "missing.vcf"), "no such file", 0},
		{"missing json", filepath.Join(dir, "missing.json"), "no such file", 0},
		{"folder vcf", folder + ".vcf", "it is a folder", 0},
		{"folder json", folder + ".json", "it is a folder", 0},
		{"empty vcf", writeFile(t, filepath.Join(dir, "empty.vcf"), nil), "the file is empty", 0},
		{"empty json", writeFile(t, filepath.Join(dir, "empty.json"), nil), "the file is empty", 0},
		{"random bytes vcf", writeJunk(t, filepath.Join(dir, "random.vcf"), 64<<10, "", ""), "no contact card", 0},
		{"random bytes json", writeJunk(t, filepath.Join(dir, "random.json"), 64<<10, "", ""), "not a Rapport backup", 0},
		{"PNG vcf", pngFile(t, filepath.Join(dir, "photo.vcf")), "it is a PNG image, not a vCard file", 0},
		{"PNG json", pngFile(t, filepath.Join(dir, "photo.json")), "it is a PNG image, not a Rapport backup", 0},
		{"gzip vcf", gzipFile(t, filepath.Join(dir, "contacts.vcf"), shortVCard), "gzip-compressed file (unpack it first)", 0},
		{"gzip json", gzipFile(t, filepath.Join(dir, "backup.json"), backupJSON(1)), "gzip-compressed file (unpack it first)", 0},
		{"text without cards", writeFile(t, filepath.Join(dir, "notes.vcf"), []byte("Call Maria back\nBuy candles\n")), "no contact card", 0},
		{"a backup named .vcf", writeFile(t, filepath.Join(dir, "backup-as.vcf"), []byte(backupJSON(1, contactJSON("a", "Ann", "")))), "no contact card", 0},
		{"vCards named .json", writeFile(t, filepath.Join(dir, "cards.json"), []byte(shortVCard)), "not a Rapport backup: invalid character 'B'", 0},
		{"newer backup", writeFile(t, filepath.Join(dir, "newer.json"), []byte(backupJSON(2, contactJSON("n1", "Nina New", "")))),
			"newer version of Rapport", 0},
		{"newer backup, version last", writeFile(t, filepath.Join(dir, "newer-last.json"),
			[]byte(`{"contacts":[`+contactJSON("n1", "Nina New", "")+`],"format":"rapport-backup","version":7}`)), "version 7", 0},
		{"referred by someone missing", writeFile(t, filepath.Join(dir, "referral.json"), []byte(backupJSON(1,
			contactJSON("r1", "Rita Referred", `"referred_by":"no-such-id"`)))), `referred_by "no-such-id" is neither in the backup nor in the database`, 0},
		{"rescheduled to a missing appointment", writeFile(t, filepath.Join(dir, "rescheduled.json"), []byte(backupJSON(1,
			contactJSON("r2", "Rolf Moved", `"appointments":[{"id":1,"start":"2026-12-01T10:00:00Z","minutes":30,"purpose":"fitting","outcome":"rescheduled","rescheduled_to":9}]`)))),
			"rescheduled_to 9 is none of this contact's other appointments", 0},
		{"good contacts, then a broken one", writeFile(t, filepath.Join(dir, "last-broken.json"), []byte(backupJSON(1,
			contactJSON("g1", "Gina Good", ""), contactJSON("g2", "Gus Good", ""),
			contactJSON("b1", "Bea Broken", `"birthday":"1985-02-30"`)))), `contact 3 (id "b1", "Bea Broken")`, 0},
		{"cut off", writeFile(t, filepath.Join(dir, "cut.json"), []byte(backupJSON(1, contactJSON("c1", "Cut Off", ""))[:90])),
			"the file ends in contact 1", 0},
	}
	if !testing.Short() {
		// Huge files, made here rather than kept: memory must stay
		// bounded whatever their size.
		huge := 300 << 20
		if raceEnabled {
			huge = 64 << 20 // the race detector reads ten times slower
		}
		cases = append(cases,
			bad{"huge junk vcf", writeJunk(t, filepath.Join(dir, "huge.vcf"), huge, "", ""), "no contact card", 96 << 20},
			bad{"huge junk json", writeJunk(t, filepath.Join(dir, "huge.json"), huge, "", ""), "not a Rapport backup", 32 << 20},
			bad{"one 50 MB line vcf", writeFile(t, filepath.Join(dir, "line.vcf"), bytes.Repeat([]byte("x"), 50<<20)), "no contact card", 160 << 20},
			bad{"one 50 MB line json", writeFile(t, filepath.Join(dir, "line.json"),
				[]byte(`{"format":"rapport-backup","version":1,"contacts":[{"id":"l","name":"`+strings.Repeat("x", 50<<20))),
				"the file ends in contact 1", 256 << 20},
		)
	}
	before := digest(t, db)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r result
			start := time.Now()
			peak := peakHeap(func() { r = rapport(t, nil, "--db", db, "import", c.path) })
			if r.code != 1 || !strings.Contains(r.stderr, c.path) || !strings.Contains(r.stderr, c.want) {
				t.Errorf("import %s: exit %d, stderr %q; want 1 and %q", filepath.Base(c.path), r.code, r.stderr, c.want)
			}
			if r.stdout != "" || strings.Contains(r.stderr, "panic") {
				t.Errorf("stdout %q, stderr %q", r.stdout, r.stderr)
			}
			if c.maxHeap > 0 {
				t.Logf("%s: %v, heap grew by %d MiB at most", filepath.Base(c.path), time.Since(start).Round(time.Millisecond), peak>>20)
				if peak > c.maxHeap {
					t.Errorf("the import held %d MiB, want at most %d", peak>>20, c.maxHeap>>20)
				}
			}
			if after := digest(t, db); after != before {
				t.Error("the database changed")
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "import-problems")); err == nil {
		t.Error("a refused file left an import-problems folder")
	}
}

// TestHugeLineAmongCards imports the cards around an absurd line and skips
// the one card that holds it, by number and line.
func TestHugeLineAmongCards(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 50 MB file")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	file := filepath.Join(dir, "phone.vcf")
	card := func(name string) string { return "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name + "\r\nEND:VCARD\r\n" }
	writeFile(t, file, []byte(card("Anna Before")+"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lars Long\r\nNOTE:"+
		strings.Repeat("x", 50<<20)+"\r\nEND:VCARD\r\n"+card("Otto After")))
	r := rapport(t, nil, "--db", db, "import", file)
	if r.code != 0 || !strings.Contains(r.stdout, "imported 2, merged 0, skipped 1") ||
		!strings.Contains(r.stdout, "skipped card 2 (line 5): line 8 is longer than 32 MiB") {
		t.Fatalf("import: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "list"); r.stdout != "Anna Before\tprospect\nOtto After\tprospect\n" {
		t.Errorf("list: %q", r.stdout)
	}
}

// badDatabases makes every kind of file --db may wrongly name, in dir.
func badDatabases(t *testing.T, dir string) map[string]string {
	t.Helper()
	dbs := map[string]string{
		"folder":       filepath.Join(dir, "folder.db"),
		"random bytes": writeJunk(t, filepath.Join(dir, "random.db"), 64<<10, "", ""),
		"PNG":          pngFile(t, filepath.Join(dir, "photo.db")),
		"gzip":         gzipFile(t, filepath.Join(dir, "packed.db"), "SQLite format 3\x00"),
		"text":         writeFile(t, filepath.Join(dir, "notes.txt"), []byte("not a database\n")),
		"vCards":       writeFile(t, filepath.Join(dir, "contacts.vcf"), []byte(shortVCard)),
		"damaged":      filepath.Join(dir, "damaged.db"),
		"foreign":      filepath.Join(dir, "places.sqlite"),
		"newer":        filepath.Join(dir, "newer.db"),
	}
	os.Mkdir(dbs["folder"], 0o700)
	// Another program's SQLite database, and one of a newer Rapport.
	for _, c := range []struct{ path, sql string }{
		{dbs["foreign"], "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.com')"},
	} {
		sqlDB, err := sql.Open("sqlite", c.path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sqlDB.Exec(c.sql); err != nil {
			t.Fatal(err)
		}
		sqlDB.Close()
	}
	if r := rapport(t, nil, "--db", dbs["newer"], "demo"); r.code != 0 {
		t.Fatal(r)
	}
	sqlDB, err := sql.Open("sqlite", dbs["newer"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01')"); err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	// A Rapport database with its pages after the first overwritten.
	if r := rapport(t, nil, "--db", dbs["damaged"], "demo"); r.code != 0 {
		t.Fatal(r)
	}
	data, err := os.ReadFile(dbs["damaged"])
	if err != nil || len(data) < 8192 {
		t.Fatalf("demo database: %d bytes, %v", len(data), err)
	}
	rng := rand.NewChaCha8([32]byte{9})
	rng.Read(data[4096:])
	writeFile(t, dbs["damaged"], data)
	os.Remove(dbs["damaged"] + "-wal")
	os.Remove(dbs["damaged"] + "-shm")
	return dbs
}

// TestBadDatabaseForEveryCommand points --db at files that are no Rapport
// database, for every command: a message naming the file, exit status 1,
// and the file as it was, with nothing made beside it.
func TestBadDatabaseForEveryCommand(t *testing.T) {
	dir := t.TempDir()
	dbs := badDatabases(t, dir)
	good := writeFile(t, filepath.Join(dir, "good.vcf"), []byte(shortVCard))
	pdf := filepath.Join(dir, "out.pdf")
	commands := [][]string{
		nil, // the window
		{"list"}, {"list", "--json"}, {"export"}, {"export", "--format", "vcard"}, {"export", "--format", "ics"},
		{"import", good}, {"imports"}, {"undo-import", "1"}, {"followups"}, {"print", "followups", "-o", pdf},
		{"print", "labels", "-o", pdf}, {"demo"},
	}
	wants := map[string]string{
		"folder": "is a folder", "random bytes": "not an SQLite database", "PNG": "not an SQLite database",
		"gzip": "not an SQLite database", "text": "not an SQLite database", "vCards": "not an SQLite database",
		"damaged": "damaged", "foreign": "another program's SQLite database (tables moz_places)",
		"newer": "newer version of Rapport",
	}
	list := func() []string {
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	for kind, db := range dbs {
		t.Run(kind, func(t *testing.T) {
			sum, files := fileSum(t, db), strings.Join(list(), " ")
			var data string
			if kind == "newer" {
				data = digest(t, db)
			}
			for _, args := range commands {
				r := rapport(t, nil, append([]string{"--db", db}, args...)...)
				msg := "rapport: open database " + db + ": "
				if r.code != 1 || !strings.HasPrefix(r.stderr, msg) || !strings.Contains(r.stderr, wants[kind]) || r.stdout != "" {
					t.Errorf("rapport --db %s %v: exit %d, stdout %q, stderr %q; want 1 and %q…%q",
						filepath.Base(db), args, r.code, r.stdout, r.stderr, msg, wants[kind])
				}
			}
			if kind == "newer" {
				if digest(t, db) != data {
					t.Error("the newer database's data changed")
				}
			} else if fileSum(t, db) != sum {
				t.Error("the file changed")
			}
			if now := strings.Join(list(), " "); now != files {
				t.Errorf("files beside it: %s, were %s", now, files)
			}
			if _, err := os.Stat(pdf); err == nil {
				t.Error("a PDF was written")
			}
		})
	}
}

// TestReadOnlyDatabase: a database in a folder Rapport may not write to, or
// a file it may not write, is refused up front by name, not at the first
// write with SQLite's "attempt to write a readonly database".
func TestReadOnlyDatabase(t *testing.T) {
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		// Root writes through file modes; /sys is read-only even for root.
		db := "/sys/rapport-test/shop.db"
		r := rapport(t, nil, "--db", db, "list")
		if r.code != 1 || !strings.Contains(r.stderr, "open database "+db+": mkdir /sys/rapport-test: ") {
			t.Errorf("--db %s: %+v", db, r)
		}
		t.Log("running as root: a read-only file is tested only for other users")
		return
	}
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o700)
	file := filepath.Join(dir, "ro.db")
	if r := rapport(t, nil, "--db", file, "demo"); r.code != 0 {
		t.Fatal(r)
	}
	os.Chmod(file, 0o400)
	os.Chmod(locked, 0o500)
	t.Cleanup(func() { os.Chmod(locked, 0o700) })
	for _, c := range []struct{ db, want string }{
		{filepath.Join(locked, "new.db"), "permission denied"},
		{file, "the file is read-only"},
	} {
		sum := fileSum(t, c.db)
		for _, args := range [][]string{{"list"}, {"demo"}, {"import", writeFile(t, filepath.Join(dir, "z.vcf"), []byte(shortVCard))}} {
			r := rapport(t, nil, append([]string{"--db", c.db}, args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, "open database "+c.db) || !strings.Contains(r.stderr, c.want) {
				t.Errorf("--db %s %v: %+v", c.db, args, r)
			}
		}
		if fileSum(t, c.db) != sum {
			t.Errorf("%s changed", c.db)
		}
	}
}

// TestDamageFoundLater damages a few pages of a database at a time: SQLite
// finds it only when a command reads them. Whatever the command, it either
// works or names the database and calls it damaged.
func TestDamageFoundLater(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.db")
	if r := rapport(t, nil, "--db", clean, "demo"); r.code != 0 {
		t.Fatal(r)
	}
	pristine, err := os.ReadFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{} // where the damage showed: at open, or in the command
	for _, at := range []float64{0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
		data := bytes.Clone(pristine)
		from := int(float64(len(data))*at) / 4096 * 4096
		rng := rand.NewChaCha8([32]byte{byte(from)})
		rng.Read(data[from:min(len(data), from+4*4096)])
		db := writeFile(t, filepath.Join(dir, fmt.Sprintf("damaged-%d.db", from)), data)
		for _, args := range [][]string{{"list"}, {"list", "--json"}, {"export"}, {"followups"}, {"imports"}, {"print", "labels", "-o", db + ".pdf"}} {
			r := rapport(t, nil, append([]string{"--db", db}, args...)...)
			// The day's backup, made first, may meet the damage before the
			// command does; it says so on a line of its own and keeps the
			// older backups.
			if rest, ok := strings.CutPrefix(r.stderr, "rapport: the daily backup failed: "); ok {
				if !strings.Contains(rest, "malformed") {
					t.Errorf("pages from byte %d damaged, %v: the daily backup failed for another reason: %q", from, args, rest)
				}
				_, r.stderr, _ = strings.Cut(rest, "\n")
			}
			switch {
			case r.code == 0:
				found["nowhere"]++
			case strings.HasPrefix(r.stderr, "rapport: open database "+db+": the database file is damaged"):
				found["at open"]++
			case strings.HasPrefix(r.stderr, "rapport "+args[0]+": database "+db+": the database file is damaged"):
				found["in the command"]++
			default:
				t.Errorf("pages from byte %d damaged, %v: exit %d, stderr %q", from, args, r.code, r.stderr)
			}
		}
	}
	t.Logf("damage found: %v", found)
	if found["in the command"] == 0 {
		t.Error("no damage showed up after opening: the test does not test that path")
	}
}
