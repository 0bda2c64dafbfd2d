module example.com/08-embed-symlink

go 1.24
