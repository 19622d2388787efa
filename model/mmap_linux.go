package model

import "golang.org/x/sys/unix"

// mappable reports whether the database file in dir may be memory-mapped
// (see dsn). A page of a mapped file the system cannot read (a network
// share gone, a USB stick pulled, a sync client truncating the file) ends
// the program with SIGBUS, where a read would have returned an error to
// show; so only local file systems on fixed disks are mapped.
func mappable(dir string) bool {
	var fs unix.Statfs_t
	if err := unix.Statfs(dir, &fs); err != nil {
		return false
	}
	return localFilesystem(int64(fs.Type))
}

// localFilesystem reports whether a statfs(2) magic number names a file
// system on a local disk (or in memory) that Rapport's database may be
// mapped from. NFS, SMB, FUSE (sshfs, ntfs-3g, cloud drives) and the FAT
// family of removable sticks are left out, as is anything unknown.
func localFilesystem(magic int64) bool {
	// ZFS and JFS have no constant in x/sys/unix: their numbers are from
	// their own sources.
	const zfsSuperMagic, jfsSuperMagic = 0x2FC12FC1, 0x3153464A
	switch magic {
	case unix.EXT4_SUPER_MAGIC, // ext2, ext3 and ext4 share it
		unix.XFS_SUPER_MAGIC, unix.BTRFS_SUPER_MAGIC, unix.F2FS_SUPER_MAGIC, zfsSuperMagic,
		unix.BCACHEFS_SUPER_MAGIC, jfsSuperMagic, unix.TMPFS_MAGIC,
		unix.OVERLAYFS_SUPER_MAGIC: // containers
		return true
	}
	return false
}
