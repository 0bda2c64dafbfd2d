// Case 08 — go command error: //go:embed of a symbolic link.  The go
// command only embeds regular files and directories; for link.txt, a
// symlink to data.txt that the case's build command creates first
// (ln -sf data.txt link.txt), it stops before compiling with:
//
//	main.go:16:12: pattern link.txt: cannot embed irregular file link.txt
//
// No upstream issue: documented embed behaviour.
package main

import (
	_ "embed"
	"fmt"
)

//go:embed link.txt
var greeting string

func main() {
	fmt.Print(greeting)
}
