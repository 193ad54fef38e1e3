module leakhound.test/goleaks

go 1.19
