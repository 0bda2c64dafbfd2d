module example.com/01-ice-generic-alias-73309

go 1.24
