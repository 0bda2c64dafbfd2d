// Case 06 — link error: a "pull" //go:linkname to a runtime symbol that the
// runtime does not export for linkname.  Since go1.23 the linker rejects
// such references unless the target is marked with a push linkname
// (golang/go#67401 locked down linkname); runtime.gcount is not, so:
//
//	link: main: invalid reference to runtime.gcount
//
// (-ldflags=-checklinkname=0 would switch the check off.)
package main

import (
	"fmt"
	_ "unsafe" // required for //go:linkname
)

//go:linkname gcount runtime.gcount
func gcount() int32

func main() {
	fmt.Println("goroutines:", gcount())
}
