module leakhound.test/goroutineleak

go 1.26
