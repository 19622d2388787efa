package jsonbackup

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxBackupContactBytes bounds the text of one contact of a backup: a
// backup is read contact by contact, and one contact is held at a time. A
// phone photo of 20 MB is 27 MB in base64, and the vCard import takes cards
// of up to 32 MiB, photo and all.
const maxBackupContactBytes = 64 << 20

// errTooLarge is what the budget reader gives once a part is over its size.
var errTooLarge = errors.New("too large")

// budgetReader stops with errTooLarge once more than left bytes were read
// since the last allow: the JSON decoder buffers a whole value before it
// decodes it, so this bounds what one value may take.
type budgetReader struct {
	r    io.Reader
	left int64
}

func (b *budgetReader) allow(n int64) { b.left = n }

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// Read reads a backup from src and hands fn each contact, checked by rules
// and converted, in file order, holding one at a time: a backup of any size
// reads in little memory. The header (format, version) is checked as soon
// as it is read, and again at the end for a file that puts it after the
// contacts; fn may have been called by then, so a caller that writes puts
// everything in one transaction.
func Read(src io.Reader, rules Rules, fn func(rc Restored) error) error {
	budget := &budgetReader{r: bufio.NewReaderSize(src, 64<<10)}
	budget.allow(maxBackupContactBytes)
	dec := json.NewDecoder(budget)
	tok, err := dec.Token()
	if err != nil {
		return notBackup(err, dec, "")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("%w: it is JSON, but not an object", ErrNotBackup)
	}
	rd := reader{dec: dec, budget: budget, rules: rules, fn: fn}
	for dec.More() {
		if err := rd.key(); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return notBackup(err, dec, "")
	}
	return rd.header(true)
}

// reader is one reading of a backup: the decoder, and the header as far as
// it has been read.
type reader struct {
	dec          *json.Decoder
	budget       *budgetReader
	rules        Rules
	fn           func(rc Restored) error
	format       *string
	version      *int
	contactsSeen bool
}

// header checks the format and version read so far; final, at the end of
// the file, wants both.
func (rd *reader) header(final bool) error {
	format, version := rd.format, rd.version
	switch {
	case format != nil && *format != Format:
		return fmt.Errorf("%w: format is %q, want %q", ErrNotBackup, *format, Format)
	case version != nil && *version > Version:
		return fmt.Errorf("backup version %d, this Rapport reads up to %d: %w", *version, Version, ErrNewerBackup)
	case version != nil && *version < 1:
		return fmt.Errorf("%w: version %d", ErrNotBackup, *version)
	case final && format == nil:
		return fmt.Errorf("%w: it has no \"format\": %q", ErrNotBackup, Format)
	case final && version == nil:
		return fmt.Errorf("%w: it has no \"version\"", ErrNotBackup)
	}
	return nil
}

// key reads one key of the top-level object and its value.
func (rd *reader) key() error {
	dec := rd.dec
	rd.budget.allow(maxBackupContactBytes)
	tok, err := dec.Token()
	if err != nil {
		return notBackup(err, dec, "")
	}
	key, _ := tok.(string)
	switch key {
	case "format":
		rd.format = new(string)
		err = dec.Decode(rd.format)
	case "version":
		rd.version = new(int)
		err = dec.Decode(rd.version)
	case "contacts":
		if rd.contactsSeen {
			return fmt.Errorf("%w: \"contacts\" appears twice", ErrNotBackup)
		}
		rd.contactsSeen = true
		if err := rd.header(false); err != nil {
			return err
		}
		return readContacts(dec, rd.budget, rd.rules, rd.fn)
	default: // keys of a later version, or exported_at: not needed
		var skip json.RawMessage
		err = dec.Decode(&skip)
	}
	if err != nil {
		return notBackup(err, dec, key)
	}
	return rd.header(false)
}

// readContacts reads the contacts array, one contact at a time.
func readContacts(dec *json.Decoder, budget *budgetReader, rules Rules, fn func(rc Restored) error) error {
	tok, err := dec.Token()
	if err != nil {
		return notBackup(err, dec, "contacts")
	}
	if tok == nil {
		return nil // "contacts": null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%w: \"contacts\" is not a list", ErrNotBackup)
	}
	seen := map[string]bool{}
	for i := 1; dec.More(); i++ {
		budget.allow(maxBackupContactBytes)
		var bc Contact
		if err := dec.Decode(&bc); err != nil {
			if errors.Is(err, errTooLarge) {
				return fmt.Errorf("contact %d is larger than %d MiB", i, maxBackupContactBytes>>20)
			}
			return notBackup(err, dec, fmt.Sprintf("contact %d", i))
		}
		rc, err := rules.ToModel(bc)
		if err != nil {
			return fmt.Errorf("contact %d (id %q, %q): %w", i, bc.ID, bc.Name, err)
		}
		if seen[bc.ID] {
			return fmt.Errorf("contact %d (%q): id %q appears twice", i, bc.Name, bc.ID)
		}
		seen[bc.ID] = true
		if err := fn(rc); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing bracket
		return notBackup(err, dec, "contacts")
	}
	return nil
}

// notBackup words a JSON error: where in the file, and what was expected.
func notBackup(err error, dec *json.Decoder, where string) error {
	at := ""
	if where != "" {
		at = " in " + where
	}
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, errTooLarge):
		return fmt.Errorf("%w: a value%s is larger than %d MiB", ErrNotBackup, at, maxBackupContactBytes>>20)
	case errors.Is(err, io.EOF) && dec.InputOffset() == 0:
		return fmt.Errorf("%w: the file is empty", ErrNotBackup)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: the file ends%s, after %d bytes (cut off?)", ErrNotBackup, at, dec.InputOffset())
	case errors.As(err, &syntax):
		return fmt.Errorf("%w: %v%s, at byte %d", ErrNotBackup, err, at, syntax.Offset)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = where
		}
		return fmt.Errorf("%w: %s is a JSON %s, want %s", ErrNotBackup, field, typeErr.Value, typeErr.Type)
	}
	return fmt.Errorf("read backup%s: %w", at, err)
}
