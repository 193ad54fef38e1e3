module leakhound.test/watche2e

go 1.19
