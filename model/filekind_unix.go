//go:build unix

package model

import (
	"os"
	"syscall"
)

// openNoWait opens without blocking: O_NONBLOCK makes opening a FIFO that
// no one writes to return at once rather than wait forever (and, on a
// plain file, changes nothing).
func openNoWait(path string, flag int) (*os.File, error) {
	return os.OpenFile(path, flag|syscall.O_NONBLOCK, 0)
}
