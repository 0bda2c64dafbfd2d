// Case 11 — runtime fatal error: unsynchronised writes to one map from
// several goroutines.  The map implementation notices the concurrent write
// (a "hashWriting" flag) and throws, which cannot be recovered:
//
//	fatal error: concurrent map writes
//
// Exit status 2.  It needs real parallelism: with GOMAXPROCS=1 the
// goroutines are only interleaved at preemption points and the throw is
// rarely (in practice never, within the time limit) seen, so the case
// needs min_cpus=2 and GOMAXPROCS unset.  The writers loop for at most
// ~2 s; on a 2-core machine the throw comes within milliseconds.  If the
// race is not caught, the program exits 0 after printing "no crash".
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

func main() {
	counts := map[int]int{} // shared, no mutex: the bug
	deadline := time.Now().Add(2 * time.Second)

	workers := runtime.GOMAXPROCS(0) * 2
	if workers < 4 {
		workers = 4
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				for j := 0; j < 1000; j++ {
					counts[(i*1000+j)%4096] += w
				}
			}
		}(w)
	}
	wg.Wait()
	fmt.Println("no crash:", len(counts))
}
