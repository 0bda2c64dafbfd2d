module example.com/03-syntax-missing-comma

go 1.24
