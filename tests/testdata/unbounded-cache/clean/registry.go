package clean

import "errors"

type Driver interface{ Open(name string) error }

var drivers = map[string]Driver{}

// Register stores what its caller hands over, typically from an init.
func Register(name string, d Driver) {
	if _, dup := drivers[name]; dup {
		panic(errors.New("Register called twice for " + name))
	}
	drivers[name] = d
}

type format struct {
	name, magic string
}

var formats []format

func RegisterFormat(name, magic string) {
	formats = append(formats, format{name, magic})
}

var levels = map[string]int{}

// A constant key is the same entry every time.
func SetDebug(v int) { levels["debug"] = v + 1 }

var flags = map[bool]string{}

// Two keys at most.
func Flag(b bool, s string) { flags[b] = s + "." }
