module example.com/06-linkname-restricted

go 1.24
