module leakhound.test/warmup

go 1.19
