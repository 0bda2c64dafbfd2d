// Case 04 — compile error (types2): generic type inference that cannot
// succeed through nested generic type aliases.
//
// Index[V] is an alias of Table[string, V], itself an alias of map[K]V.
// NewIndex's parameter mentions only the alias' key side (a []string of
// keys), and V appears only in the result type, which Go never uses for
// inference; the call NewIndex(keys) therefore leaves V unknown:
//
//	./main.go:31:17: in call to NewIndex, cannot infer V (declared at ./main.go:21:15)
//
// No upstream issue: this is the specified behaviour of type inference
// (the fix is NewIndex[int](keys)).
package main

import "fmt"

type Table[K comparable, V any] = map[K]V

type Index[V any] = Table[string, V]

func NewIndex[V any](keys []string) Index[V] {
	idx := make(Index[V], len(keys))
	for _, k := range keys {
		var zero V
		idx[k] = zero
	}
	return idx
}

func main() {
	idx := NewIndex([]string{"a", "b"})
	fmt.Println(len(idx))
}
