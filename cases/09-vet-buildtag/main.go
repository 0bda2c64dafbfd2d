// Case 09 — go vet (buildtag analyzer): a file whose //go:build line and a
// stale old-style build-constraint line (line 10) disagree.  The go command
// obeys //go:build only, so the package still builds, but vet reports that
// the old-style lines do not match the //go:build condition (exit 1).
//
// No upstream issue: the expected vet diagnostic.  (This comment avoids
// spelling the old syntax so that vet flags only line 10.)

//go:build linux || darwin
// +build linux,!cgo

package main

import "fmt"

func main() {
	fmt.Println("built for a unix system")
}
