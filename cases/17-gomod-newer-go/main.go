// Case 17 — go command error: the module's go.mod declares "go 1.99",
// newer than the installed toolchain, and GOTOOLCHAIN=local forbids the go
// command from switching to (downloading) a newer one:
//
//	go: go.mod requires go >= 1.99 (running go 1.24.4; GOTOOLCHAIN=local)
//
// Exit status 1, before any compilation.  No upstream issue: documented
// toolchain behaviour (go.dev/doc/toolchain).  This program itself is fine.
package main

import "fmt"

func main() {
	fmt.Println("hello from the future")
}
