// Case 12 — an amd64 assembly trampoline that corrupts its own return
// address, then calls a Go function that panics.  See main.go.

#include "textflag.h"
#include "funcdata.h"

// func trampoline()
// Frame: 16 bytes of locals; the assembler adds the saved BP below the
// return address, so the caller's return PC lives at 24(SP) (hardware SP).
TEXT ·trampoline(SB), 0, $16-0
	NO_LOCAL_POINTERS
	MOVQ	$0xdeadbeef, AX
	MOVQ	AX, 24(SP)        // overwrite our own return address
	CALL	·explode(SB)      // Go code that panics; the unwinder now walks through us
	RET
