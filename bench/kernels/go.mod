module leakhound.local/bench/kernels

go 1.21
