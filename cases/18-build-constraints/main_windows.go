// Case 18 — go command error: every Go file of the package is excluded by
// build constraints for the current target (linux/amd64): this file by its
// _windows name suffix, service.go by its //go:build line.  go build stops
// while loading the package:
//
//	package example.com/18-build-constraints: build constraints exclude all Go files in <case dir>
//
// Exit status 1.  No upstream issue: documented go command behaviour.
package main

func main() {
	runService()
}
