module example.com/10-nil-map-struct

go 1.24
