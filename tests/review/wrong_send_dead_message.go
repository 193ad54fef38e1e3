// Class: a send on a channel field of a message type that the package
// never builds, inside that type's case of a type switch.
//
// leakhound says (goroutine-blocked-send, at `go s.serve(ctx)`):
// "goroutine sends on the field stopMsg.reply, but the field is never made
// (a nil channel): the send blocks forever and the goroutine leaks".
//
// Wrong: no value of type stopMsg exists anywhere (no composite literal,
// no `var x stopMsg`, no conversion), so `case stopMsg:` never matches and
// the send is dead code. "Never made" is true of the field only because
// the whole type is never made. The rule should ask first whether the
// struct carrying the field is ever built (in the package, or is exported
// so others can build it -- thejerf/suture's stopSupervisor is not); if it
// is built without the field, the nil-channel claim holds.
//
// In the corpus: thejerf/suture/v4 supervisor.go:392 (`msg.done <-
// s.stopSupervisor()` in `case stopSupervisor:` of Serve's control loop),
// reported at every `go s.Serve(ctx)` of suture_test.go: 13 findings, 9 of
// the 30 sampled goroutine-blocked-send findings.
package review

import "context"

type sdMsg interface{ isSDMsg() }

type addMsg struct{ name string }

func (addMsg) isSDMsg() {}

// stopMsg is declared and switched on, never constructed.
type stopMsg struct{ reply chan int }

func (stopMsg) isSDMsg() {}

type sdServer struct {
	control chan sdMsg
	names   []string
}

func (s *sdServer) serve(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-s.control:
			switch msg := m.(type) {
			case addMsg:
				s.names = append(s.names, msg.name)
			case stopMsg:
				msg.reply <- len(s.names)
				return
			}
		}
	}
}

func SendDeadMessage() {
	s := &sdServer{control: make(chan sdMsg)}
	ctx, cancel := context.WithCancel(context.Background())
	go s.serve(ctx)
	s.control <- addMsg{name: "a"}
	cancel()
}
