package app

import "os"

// driveRoots are the drives that answer: C:\, D:\, a USB stick's letter.
func driveRoots() []string {
	var out []string
	for l := 'A'; l <= 'Z'; l++ {
		root := string(l) + `:\`
		if _, err := os.Stat(root); err == nil {
			out = append(out, root)
		}
	}
	return out
}
