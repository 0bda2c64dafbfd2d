// Command gen-goroutines prints a large, real goroutine dump for benchmarks.
//
// It starts N goroutines (-n, default 100000) parked in eight different
// places — a channel receive, a select, sync.WaitGroup.Wait, sync.Mutex.Lock,
// time.Sleep, a channel send at the bottom of nested helper calls,
// sync.Cond.Wait inside a closure, and a receive inside a generic function —
// waits until they are all parked, then panics in a request handler. It calls
// debug.SetTraceback("all") (GOTRACEBACK=all semantics), so the runtime
// prints every goroutine. The output goes to stderr; exit status 2.
//
//	go run . -n 100000 2>dump.txt
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

type Conn struct {
	id    int
	in    chan []byte
	alive chan struct{}
}

// 1: channel receive.
func (c *Conn) readLoop(started *sync.WaitGroup) {
	started.Done()
	for msg := range c.in {
		_ = msg
	}
}

// 2: select.
func (c *Conn) keepalive(started *sync.WaitGroup, tick <-chan time.Time) {
	started.Done()
	for {
		select {
		case <-tick:
		case <-c.alive:
			return
		}
	}
}

// 3: sync.WaitGroup.Wait.
func awaitGroup(started, group *sync.WaitGroup) {
	started.Done()
	group.Wait()
}

type Session struct {
	mu    sync.Mutex
	state map[string]string
}

// 4: sync.Mutex.Lock behind a lock main holds.
func (s *Session) touch(started *sync.WaitGroup) {
	started.Done()
	s.mu.Lock()
	defer s.mu.Unlock()
}

// 5: time.Sleep.
func backoff(started *sync.WaitGroup) {
	started.Done()
	for {
		time.Sleep(time.Hour)
	}
}

// 6: channel send at the bottom of nested helper calls.
type Publisher struct{ out chan<- string }

func (p *Publisher) publish(msg string) { p.out <- msg }
func (p *Publisher) encode(v int)       { p.publish(fmt.Sprint("event-", v)) }
func (p *Publisher) emit(started *sync.WaitGroup, v int) {
	started.Done()
	p.encode(v)
}

// 8: receive inside a generic function.
func first[T any](started *sync.WaitGroup, ch <-chan T) T {
	started.Done()
	return <-ch
}

func (s *Session) Set(k, v string) {
	s.state[k] = v // state is nil: the bug that ends the run
}

func handle(s *Session, req string) { s.Set("last", req) }

func main() {
	n := flag.Int("n", 100000, "number of parked goroutines")
	flag.Parse()
	debug.SetTraceback("all")

	var started, group sync.WaitGroup
	started.Add(*n)
	group.Add(1)
	sess := &Session{}
	sess.mu.Lock()
	never := make(chan time.Time)
	sink := make(chan string)
	pub := &Publisher{out: sink}
	cond := sync.NewCond(&sync.Mutex{})
	nums := make(chan int)
	for i := 0; i < *n; i++ {
		switch i % 8 {
		case 0:
			c := &Conn{id: i, in: make(chan []byte)}
			go c.readLoop(&started)
		case 1:
			c := &Conn{id: i, alive: make(chan struct{})}
			go c.keepalive(&started, never)
		case 2:
			go awaitGroup(&started, &group)
		case 3:
			go sess.touch(&started)
		case 4:
			go backoff(&started)
		case 5:
			go pub.emit(&started, i)
		case 6:
			go func(id int) { // 7: sync.Cond.Wait in a closure
				cond.L.Lock()
				started.Done()
				cond.Wait()
				cond.L.Unlock()
			}(i)
		case 7:
			go first[int](&started, nums)
		}
	}
	started.Wait()
	// Wait until (nearly) everything is parked, not merely started.
	for i := 0; i < 50; i++ {
		time.Sleep(20 * time.Millisecond)
		if runtime.NumGoroutine() >= *n+1 {
			break
		}
	}
	time.Sleep(200 * time.Millisecond)
	fmt.Fprintln(os.Stderr, "goroutines parked:", *n)
	handle(&Session{}, "GET /")
}
