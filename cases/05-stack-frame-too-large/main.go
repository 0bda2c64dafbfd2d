// Case 05 — compile error (ssa): a function that takes a 2 GiB array by
// value.  The argument area alone exceeds the compiler's frame size limit
// (maxStackSize, 1 GB), so when it lays out the frame in ssagen it reports:
//
//	./main.go:16:6: stack frame too large (>1GB): 0 MB locals + 2048 MB args
//	./main.go:22:6: stack frame too large (>1GB): 2048 MB locals + 0 MB args
//
// (main gets the second error because it copies *global to the stack.)
//
// No upstream issue: this is a deliberate limit of cmd/compile.
package main

type Blob [1 << 31]byte // 2 GiB

//go:noinline
func checksum(b Blob) byte {
	return b[0] ^ b[len(b)-1]
}

var global *Blob

func main() {
	if global != nil {
		println(checksum(*global))
	}
}
