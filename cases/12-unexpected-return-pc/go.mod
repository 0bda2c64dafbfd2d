module example.com/12-unexpected-return-pc

go 1.24
