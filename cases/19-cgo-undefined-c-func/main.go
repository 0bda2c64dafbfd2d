// Case 19 — external linker failure: the cgo preamble declares a C function
// (compress_block) that no C file or library defines.  cgo and the Go
// compiler accept the declaration; cmd/link then runs gcc as the external
// linker, and ld cannot resolve the symbol:
//
//	$GOROOT/pkg/tool/linux_amd64/link: running gcc failed: exit status 1
//	/usr/bin/gcc -m64 ... -o $WORK/b001/exe/a.out ...
//	/usr/bin/ld: /tmp/go-link-NNN/000001.o: in function `_cgo_..._Cfunc_compress_block':
//	/tmp/go-build/main.cgo2.c:NN: undefined reference to `compress_block'
//	collect2: error: ld returned 1 exit status
//
// Exit status 1.  No upstream issue: the usual "forgot the -l flag / the
// .c file" mistake.  Needs gcc and CGO_ENABLED=1.
package main

/*
// Declared here, defined nowhere: the library that should provide it
// was never linked (#cgo LDFLAGS: -lcompress is missing).
int compress_block(const char *src, int n);
*/
import "C"

import "fmt"

func main() {
	src := C.CString("aaaaaaaabbbbbbbb")
	fmt.Println("compressed size:", C.compress_block(src, 16))
}
