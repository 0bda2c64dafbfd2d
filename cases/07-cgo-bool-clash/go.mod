module example.com/07-cgo-bool-clash

go 1.24
