module example.com/17-gomod-newer-go

go 1.99
