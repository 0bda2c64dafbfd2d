module example.com/02-ice-recursive-alias-74181

go 1.24
