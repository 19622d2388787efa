//go:build !unix

package model

import "os"

// openNoWait opens path; the look before it (CheckNotSpecial) is all
// there is to refuse a pipe or device here.
func openNoWait(path string, flag int) (*os.File, error) {
	return os.OpenFile(path, flag, 0)
}
