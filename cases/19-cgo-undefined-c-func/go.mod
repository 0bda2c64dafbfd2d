module example.com/19-cgo-undefined-c-func

go 1.24
