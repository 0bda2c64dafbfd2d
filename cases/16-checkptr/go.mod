module example.com/16-checkptr

go 1.24
