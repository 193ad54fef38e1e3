module example.com/review

// go < 1.23, so that ticker-not-stopped and time-after-in-loop run too.
go 1.22
