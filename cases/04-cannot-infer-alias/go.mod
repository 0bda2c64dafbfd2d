module example.com/04-cannot-infer-alias

go 1.24
