module leakhound.test/agree

go 1.27
