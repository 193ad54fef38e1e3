package clean

import (
	"fmt"
	"reflect"
	"sync"
)

var uniq = map[string]int{}

// Every call passes a constant: one key per call site.
func newConnName(base string) string {
	uniq[base]++
	return fmt.Sprintf("%s-%d", base, uniq[base])
}

func ServerName() string { return newConnName("server") }
func ClientName() string { return newConnName("client") }

type Profile struct{ name string }

var profiles = map[string]*Profile{}

// A registration that refuses duplicates: meant for init, once per name.
func NewProfile(name string) *Profile {
	if profiles[name] != nil {
		panic("profile name already in use: " + name)
	}
	p := &Profile{name: name + ".pprof"}
	profiles[name] = p
	return p
}

// Keyed by types: as many entries as the program has types.
var encoders sync.Map

func encoderFor(t reflect.Type) func(any) string {
	if f, ok := encoders.Load(t); ok {
		return f.(func(any) string)
	}
	f := func(v any) string { return fmt.Sprint(v) }
	encoders.Store(t, f)
	return f
}

func Encode(v any) string { return encoderFor(reflect.TypeOf(v))(v) }

var (
	servicesOnce sync.Once
	services     = map[string]int{}
)

// Read once, through a function value handed to sync.Once.
func readServices() {
	for i, name := range []string{"http", "https"} {
		services[name+fmt.Sprint(i)] = 80 + i
	}
}

func Port(name string) int {
	servicesOnce.Do(readServices)
	return services[name]
}
