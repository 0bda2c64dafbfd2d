// Case 14 — runtime fatal error: stack overflow from unbounded recursion.
// depth() has no nil check and the parent chain accidentally forms a
// cycle, so the goroutine stack grows until it hits the maximum.  The
// program lowers the maximum from the default 1 GB to 64 MB with
// debug.SetMaxStack so the case stays fast (well under a second) and small
// enough for the reproducer's memory limit; the failure is the same:
//
//	runtime: goroutine stack exceeds 67108864-byte limit
//	runtime: sp=... stack=[...]
//	fatal error: stack overflow
//
// Exit status 2, every run.  No upstream issue: an ordinary program bug.
package main

import (
	"fmt"
	"runtime/debug"
)

type Node struct {
	Parent *Node
	Name   string
}

// depth forgets the nil check: a cycle in the parent chain recurses forever.
func depth(n *Node) int {
	return 1 + depth(n.Parent)
}

func main() {
	debug.SetMaxStack(64 << 20)
	a := &Node{Name: "a"}
	b := &Node{Name: "b", Parent: a}
	a.Parent = b // accidental cycle
	fmt.Println(depth(b))
}
