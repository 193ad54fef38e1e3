module example.com/body

go 1.22
