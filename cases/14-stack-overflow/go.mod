module example.com/14-stack-overflow

go 1.24
