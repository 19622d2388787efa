package model

import "syscall"

// mappable reports whether the database file in dir may be memory-mapped
// (see dsn). A page of a mapped file the system cannot read (a network
// share gone, a USB stick pulled, a sync client truncating the file) ends
// the program with SIGBUS, where a read would have returned an error to
// show; so only local file systems on fixed disks are mapped.
func mappable(dir string) bool {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return false
	}
	return localFilesystem(int64(fs.Type))
}

// localFilesystem reports whether a statfs(2) magic number names a file
// system on a local disk (or in memory) that Rapport's database may be
// mapped from. NFS, SMB, FUSE (sshfs, ntfs-3g, cloud drives) and the FAT
// family of removable sticks are left out, as is anything unknown.
func localFilesystem(magic int64) bool {
	switch magic {
	case 0xEF53, // ext2, ext3, ext4
		0x58465342, // xfs
		0x9123683E, // btrfs
		0xF2F52010, // f2fs
		0x2FC12FC1, // zfs
		0xCA451A4E, // bcachefs
		0x3153464A, // jfs
		0x01021994, // tmpfs
		0x794C7630: // overlayfs (containers)
		return true
	}
	return false
}
