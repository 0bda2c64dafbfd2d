module example.com/15-data-race

go 1.24
