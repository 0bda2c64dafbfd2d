// Case 01 — ICE, golang/go#73309 (fixed in go1.25).
//
// A tiny field-validator library built on nested generic type aliases:
// Rule[T] is a generic alias of a func type over the generic struct
// FieldDef[T], FieldDef[T] in turn holds a []Rule[T] (so the alias and the
// struct refer to each other), and NumericRule[T] re-aliases Rule[T] with a
// tighter constraint.  The program is valid Go; go1.24 crashes while
// reading the alias back in the unified IR reader:
//
//	./main.go:26:6: internal compiler error: assertion failed
//
// (cmd/compile/internal/noder, phase typecheck).
package main

type Numeric interface {
	~int | ~int32 | ~int64 | ~float64
}

// FieldDef is one value plus the rules it must satisfy.
type FieldDef[T any] struct {
	value T
	rules []Rule[T]
}

// Rule is a generic alias of a function type over FieldDef.
type Rule[T any] = func(FieldDef[T]) bool

// NumericRule re-aliases Rule with a constraint.
type NumericRule[T Numeric] = Rule[T]

func (f FieldDef[T]) Valid() bool {
	for _, r := range f.rules {
		if !r(f) {
			return false
		}
	}
	return true
}

func Field[T any](v T, rules ...Rule[T]) FieldDef[T] {
	return FieldDef[T]{value: v, rules: rules}
}

func AtMost[T Numeric](limit T) NumericRule[T] {
	return func(f FieldDef[T]) bool { return f.value <= limit }
}

func main() {
	age := Field(42, AtMost(150))
	println(age.Valid())
}
