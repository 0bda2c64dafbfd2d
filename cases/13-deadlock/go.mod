module example.com/13-deadlock

go 1.24
