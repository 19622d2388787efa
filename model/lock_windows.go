//go:build windows

package model

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes a lock on the first byte of f, shared or exclusive, without
// waiting: ok is false when another holds a conflicting one. LockFileEx
// locks belong to the handle, so two opens of the lock file conflict even
// within one process, as two processes do.
func tryLock(f *os.File, exclusive bool) (ok bool, err error) {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if exclusive {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	err = windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, &windows.Overlapped{})
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return false, nil
	}
	return err == nil, err
}

// unlock lets go of the lock on f.
func unlock(f *os.File) error {
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &windows.Overlapped{})
}
