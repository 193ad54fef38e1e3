module leakhound.test/fleet

go 1.19
