// Case 16 — runtime fatal error from the checkptr instrumentation.
// Built with -gcflags=all=-d=checkptr, every unsafe.Pointer -> *T conversion
// is checked.  Here a header is decoded by casting a 24-byte heap buffer to
// a pointer to a 32-byte struct, so the converted pointer reaches past the
// end of its allocation into the next object of the size class:
//
//	fatal error: checkptr: converted pointer straddles multiple allocations
//
// Exit status 2, every run.  The buffer is 24 bytes (not < 16) on purpose:
// tiny-allocator blocks could otherwise hide the overrun.  Without checkptr
// the program "works" and reads out of bounds.  No upstream issue: an
// ordinary unsafe-code bug; -race and -msan turn checkptr on too.
package main

import (
	"fmt"
	"unsafe"
)

type header struct {
	Magic   uint64
	Version uint64
	Length  uint64
	Flags   uint64
}

//go:noinline
func readPacket(n int) []byte {
	buf := make([]byte, n)
	buf[0] = 0x7f
	return buf
}

func main() {
	buf := readPacket(24) // 8 bytes too short for a header
	h := (*header)(unsafe.Pointer(&buf[0]))
	fmt.Printf("magic=%#x flags=%d\n", h.Magic, h.Flags)
}
