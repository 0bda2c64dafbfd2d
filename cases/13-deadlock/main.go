// Case 13 — runtime fatal error: deadlock.  main waits for a result on an
// unbuffered channel, but the only worker returns early on an error path
// without sending, so every goroutine is blocked:
//
//	fatal error: all goroutines are asleep - deadlock!
//
//	goroutine 1 [chan receive]:
//
// Exit status 2, every run.  No upstream issue: an ordinary program bug.
package main

import (
	"errors"
	"fmt"
)

func work(input string, results chan<- int) error {
	if input == "" {
		return errors.New("empty input") // forgets to send on results
	}
	results <- len(input)
	return nil
}

func main() {
	results := make(chan int)
	go func() {
		if err := work("", results); err != nil {
			fmt.Println("worker:", err)
		}
	}()
	fmt.Println("result:", <-results)
}
