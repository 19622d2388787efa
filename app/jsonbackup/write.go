package jsonbackup

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Writer writes a backup contact by contact, so memory stays flat however
// large the journal is. Writes are buffered; Close says whether they all
// reached the underlying writer.
type Writer struct {
	bw    *bufio.Writer
	first bool
}

// NewWriter starts a backup on w made at exportedAt.
func NewWriter(w io.Writer, exportedAt time.Time) *Writer {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\n  \"format\": %q,\n  \"version\": %d,\n  \"exported_at\": %q,\n  \"contacts\": [",
		Format, Version, formatTime(exportedAt))
	return &Writer{bw: bw, first: true}
}

// Add writes one contact.
func (w *Writer) Add(c Contact) error {
	data, err := json.MarshalIndent(c, "    ", "  ")
	if err != nil {
		return fmt.Errorf("contact %s: %w", c.ID, err)
	}
	if !w.first {
		w.bw.WriteString(",")
	}
	w.first = false
	w.bw.WriteString("\n    ")
	_, err = w.bw.Write(data)
	return err
}

// Close ends the backup and flushes it; it does not close the underlying
// writer.
func (w *Writer) Close() error {
	if !w.first {
		w.bw.WriteString("\n  ")
	}
	w.bw.WriteString("]\n}\n")
	return w.bw.Flush()
}
