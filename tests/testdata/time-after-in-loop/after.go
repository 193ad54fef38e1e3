package after

import (
	"errors"
	"time"
)

var errIdle = errors.New("idle")

func loop(msgs <-chan int) error {
	for {
		select {
		case m := <-msgs:
			_ = m
		case <-time.After(time.Minute): // want "time-after-in-loop: time.After in a select inside a loop"
			return errIdle
		}
	}
}

func ranged(jobs []int, results chan<- int) {
	for _, j := range jobs {
		select {
		case results <- j:
		case t := <-time.After(time.Second): // want "time-after-in-loop"
			_ = t
		}
	}
}

func nested(msgs <-chan int, stop <-chan bool) {
	for i := 0; i < 1000000; i++ {
		if i%2 == 0 {
			select {
			case <-msgs:
			case <-stop:
				return
			case <-time.After(10 * time.Second): // want "time-after-in-loop"
			}
		}
	}
}

// Clean look-alikes.

func once(msgs <-chan int) int {
	select {
	case m := <-msgs:
		return m
	case <-time.After(time.Second):
		return 0
	}
}

func timer(msgs <-chan int) error {
	idle := time.NewTimer(time.Minute)
	defer idle.Stop()
	for {
		select {
		case <-msgs:
			idle.Reset(time.Minute)
		case <-idle.C:
			return errIdle
		}
	}
}

func literal(msgs <-chan int) {
	for range msgs {
		go func() {
			select {
			case <-msgs:
			case <-time.After(time.Second):
			}
		}()
	}
}

func notSelect() {
	for i := 0; i < 3; i++ {
		<-time.After(time.Millisecond)
	}
}

// More shapes that leak a timer per turn.
func labeled(in <-chan int) {
outer:
	for {
		select {
		case v, ok := <-in:
			if !ok {
				break outer
			}
			_ = v
		case <-time.After(30 * time.Second): // want "time-after-in-loop"
			return
		}
	}
}

func heartbeat(beats chan<- struct{}, stop <-chan bool) {
	for {
		select {
		case beats <- struct{}{}:
		case <-stop:
			return
		case <-time.After(time.Hour): // want "time-after-in-loop"
		}
	}
}

func rangeOverChannel(jobs <-chan int, results chan<- int) {
	for j := range jobs {
		select {
		case results <- j:
		case <-time.After(time.Minute): // want "time-after-in-loop"
		}
	}
}

func countdown(ticks <-chan int) {
	for n := 10; n > 0; n-- {
		select {
		case <-ticks:
		case <-time.After(time.Duration(n) * time.Second): // want "time-after-in-loop"
		}
	}
}

func inSwitch(in <-chan string) {
	for {
		switch {
		default:
			select {
			case s := <-in:
				_ = s
			case <-time.After(time.Minute): // want "time-after-in-loop"
				return
			}
		}
	}
}

// Clean look-alikes.

func afterFuncInLoop(n int) {
	for i := 0; i < n; i++ {
		time.AfterFunc(time.Second, func() {})
	}
}

func timerReset(in <-chan int) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for range in {
		if !t.Stop() {
			<-t.C
		}
		t.Reset(time.Second)
	}
}

func sleepInLoop(n int) {
	for i := 0; i < n; i++ {
		time.Sleep(time.Millisecond)
	}
}

func afterOutsideLoop(in <-chan int) {
	timeout := time.After(time.Minute)
	for {
		select {
		case <-in:
		case <-timeout:
			return
		}
	}
}
