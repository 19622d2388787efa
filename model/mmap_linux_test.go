package model

import (
	"strings"
	"testing"
)

// Only local disks are mapped: a mapped page that cannot be read ends the
// program, where an unmapped read returns an error.
func TestOnlyLocalFilesystemsAreMapped(t *testing.T) {
	for magic, want := range map[int64]bool{
		0xEF53: true, 0x58465342: true, 0x9123683E: true, 0x01021994: true, 0x794C7630: true,
		0x6969: false, 0xFF534D42: false, 0xFE534D42: false, 0x517B: false, // NFS, CIFS, SMB2, SMB
		0x65735546: false, 0x4D44: false, 0x2011BAB0: false, 0x01021997: false, 0: false, // FUSE, FAT, exFAT, 9p
	} {
		if got := localFilesystem(magic); got != want {
			t.Errorf("file system %#x mapped: %v, want %v", magic, got, want)
		}
	}
	if mappable("/proc") {
		t.Error("/proc counted as a local disk")
	}
	if mappable("/no/such/folder") {
		t.Error("a folder that does not exist counted as a local disk")
	}
	for _, dir := range []string{"/dev/shm", t.TempDir()} {
		if got := strings.Contains(dsn(dir+"/rapport.db"), "mmap_size"); got != mappable(dir) {
			t.Errorf("%s: mmap in the connection string %v, mappable %v", dir, got, mappable(dir))
		}
	}
	if !mappable("/dev/shm") {
		t.Log("/dev/shm is not a tmpfs here")
	}
}
