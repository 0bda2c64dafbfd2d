// Case 03 — compile error (parser): a multi-line composite literal whose
// last element is not followed by a comma.  Go's automatic semicolon
// insertion turns the newline after "8080" into a ';', so the parser says:
//
//	./main.go:20:13: syntax error: unexpected newline in composite literal; possibly missing comma or }
//
// No upstream issue: this is the ordinary, documented behaviour.
package main

import "fmt"

type Config struct {
	Host string
	Port int
}

func main() {
	cfg := Config{
		Host: "localhost",
		Port: 8080
	}
	fmt.Println(cfg)
}
