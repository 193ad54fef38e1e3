package blocked

// The receiver reaches the field through an embedded type: a receive like
// any other, so the sender has someone to hand its value to.
type eventHub struct {
	events chan int
}

func (h *eventHub) publish(v int) { h.events <- v }

type relayServer struct {
	*eventHub
}

func (s *relayServer) loop() {
	for v := range s.events {
		_ = v
	}
}

func startRelayServer() {
	h := &eventHub{events: make(chan int)}
	s := &relayServer{eventHub: h}
	go s.loop()
	go h.publish(1)
}
