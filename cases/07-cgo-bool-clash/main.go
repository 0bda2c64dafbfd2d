// Case 07 — cgo error: the cgo preamble includes <stdbool.h> and then a
// legacy header (legacy.h, in this folder) that does "typedef int bool;".
// With bool already a macro for _Bool, gcc fails while cgo runs it over the
// preamble:
//
//	./legacy.h:9:13: error: two or more data types in declaration specifiers
//
// The failure is the C compiler's, inside the cgo step of go build.
// No upstream issue: a header incompatibility every cgo user meets sooner
// or later.  Needs a C compiler (gcc) and CGO_ENABLED=1.  Verified with
// Debian 12's gcc 12 (default -std=gnu17); a C23 compiler (gcc >= 15),
// where bool is a keyword, words the error differently but still fails.
package main

/*
#include <stdbool.h>
#include "legacy.h"
*/
import "C"

import "fmt"

func main() {
	fmt.Println(C.legacy_is_set(C.TRUE))
}
