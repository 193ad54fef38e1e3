module leakhound/tests/goast

go 1.19
