module example.com/sema

go 1.22
