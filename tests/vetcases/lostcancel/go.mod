module example.com/vetcases/lostcancel

go 1.21
