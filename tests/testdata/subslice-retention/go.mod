module example.com/subslice

go 1.22
