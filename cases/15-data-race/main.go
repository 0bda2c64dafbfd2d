// Case 15 — race detector report.  Two goroutines update a shared counter
// without synchronisation; built with -race, the detector reports:
//
//	==================
//	WARNING: DATA RACE
//	Read at 0x... by goroutine 8:
//	  main.main.func1()
//	...
//	Previous write at 0x... by goroutine 7:
//	...
//	Found 1 data race(s)
//
// and the program exits 66 (the race detector's default exitcode).  Needs
// cgo and a C toolchain for -race on linux/amd64.  The race is reported
// every run: the detector finds the conflict on the first unsynchronised
// pair of accesses, independently of scheduling.
// No upstream issue: an ordinary program bug.
package main

import (
	"fmt"
	"sync"
)

type Stats struct {
	hits int
}

func main() {
	var s Stats
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				s.hits++ // unsynchronised read-modify-write
			}
		}()
	}
	wg.Wait()
	fmt.Println("hits:", s.hits)
}
