module example.com/18-build-constraints

go 1.24
