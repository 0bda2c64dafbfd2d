// Case 12 — runtime fatal error: "unexpected return pc".
//
// trampoline (tramp_amd64.s) overwrites its own return address with
// 0xdeadbeef and then calls explode, which panics.  To run deferred calls
// the panic has to unwind the stack; when the unwinder steps from
// trampoline to its "caller" it finds a PC that belongs to no function and
// the runtime gives up:
//
//	runtime: g 1: unexpected return pc for main.trampoline called from 0xdeadbeef
//	...
//	fatal error: unknown caller pc
//
// Exit status 2, every run.  amd64 only.  No upstream issue: this is the
// classic symptom of broken assembly or a corrupted stack.
package main

import "fmt"

func trampoline() // implemented in tramp_amd64.s

func explode() {
	panic("explode called through a corrupted frame")
}

func main() {
	defer fmt.Println("deferred in main") // forces the panic to unwind to main
	trampoline()
}
