module example.com/05-stack-frame-too-large

go 1.24
