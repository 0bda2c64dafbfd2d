// Case 10 — runtime panic: nil pointer dereference through a nil struct
// pointer stored in a map.  The map lookup succeeds (the key is present),
// but its value is a nil *Session; reading a field faults:
//
//	panic: runtime error: invalid memory address or nil pointer dereference
//	[signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=...]
//
// Exit status 2, every run.  No upstream issue: an ordinary program bug.
package main

import "fmt"

type Session struct {
	ID   int
	User string
}

type Registry struct {
	sessions map[string]*Session
}

func (r *Registry) userOf(token string) string {
	s := r.sessions[token] // present, but nil
	return s.User
}

func main() {
	r := &Registry{sessions: map[string]*Session{
		"alice": {ID: 1, User: "alice"},
		"stale": nil, // a session that was invalidated but not deleted
	}}
	for _, tok := range []string{"alice", "stale"} {
		fmt.Println(tok, "->", r.userOf(tok))
	}
}
