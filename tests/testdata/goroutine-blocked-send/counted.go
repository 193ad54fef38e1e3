package blocked

import "context"

// One goroutine sends in a counted loop; the maker receives as many times:
// clean. One more send than receives: the last send blocks.
func countedPair() int {
	got := make(chan int)
	go func() {
		for i := 0; i < 2; i++ {
			got <- i * 2
		}
	}()
	a := <-got
	b := <-got
	return a + b
}

func countedShort() int {
	got := make(chan int)
	go func() { // want "the maker receives from it 2 times \(first on line 26\) while the goroutine sends 3 times in a loop"
		for i := 0; i < 3; i++ {
			got <- i
		}
	}()
	a := <-got
	b := <-got
	return a + b
}

// A message type the package switches on but never builds: its case is
// dead code, and so is the send on its nil reply channel.
type ctlMsg interface{ ctl() }

type pingMsg struct{}

func (pingMsg) ctl() {}

type haltMsg struct{ ack chan int }

func (haltMsg) ctl() {}

type controller struct{ in chan ctlMsg }

func (c *controller) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-c.in:
			switch msg := m.(type) {
			case pingMsg:
			case haltMsg:
				msg.ack <- 1
				return
			}
		}
	}
}

func startController(ctx context.Context) {
	c := &controller{in: make(chan ctlMsg)}
	go c.run(ctx)
	c.in <- pingMsg{}
}

// Built without its channel: the nil-channel claim holds.
type resetMsg struct{ ack chan int }

type resetter struct{ in chan resetMsg }

func (r *resetter) run() {
	m := <-r.in
	m.ack <- 1
}

func startResetter() {
	r := &resetter{in: make(chan resetMsg, 1)}
	go r.run() // want "the field is never made \(a nil channel\)"
	r.in <- resetMsg{}
}
