// Case 02 — ICE, golang/go#74181 (reproduces in go1.24 and go1.25, fixed
// in go1.26).
//
// A pointer to a recursive generic type alias: Tree is an alias of the
// instantiation List[Node], Node holds a *Tree, and Tree is
// also used as a field of another struct *before* Node is declared.  The
// declaration order matters: with Forest declared after Node the program
// compiles.  Here types2 leaves an invalid type behind (no error is
// reported, the program is valid Go) and the noder's unified-IR writer trips
// over it:
//
//	<unknown line number>: internal compiler error: unexpected types2.Invalid
//
// (cmd/compile/internal/noder, phase typecheck).  The program is valid Go.
package main

// Tree is an alias of a generic instantiation whose type argument (Node)
// refers back to Tree through a pointer.
type Tree = List[Node]

// Forest uses the alias before Node is declared: this ordering matters.
type Forest struct {
	root Tree
}

type Node struct {
	parent *Tree
}

type List[T any] struct {
	items []T
}

func main() {
	var f Forest
	f.root.items = append(f.root.items, Node{parent: &f.root})
	println(len(f.root.items))
}
