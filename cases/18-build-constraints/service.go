// Case 18 — see main_windows.go.  This file is meant for Windows services
// only, so its constraint excludes it on linux as well.

//go:build windows && amd64

package main

func runService() {}
