module example.com/09-vet-buildtag

go 1.24
