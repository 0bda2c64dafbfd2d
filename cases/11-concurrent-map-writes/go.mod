module example.com/11-concurrent-map-writes

go 1.24
