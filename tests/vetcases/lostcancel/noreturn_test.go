package lostcancel

import (
	"context"
	"testing"
)

// vet: clean, t.Fatal, t.FailNow and t.Skip end the test: the returns after
// them are unreachable.
func TestFatal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	if ctx == nil {
		t.Fatal("nil")
		return
	}
	if ctx.Err() != nil {
		t.FailNow()
		return
	}
	if testing.Short() {
		t.Skip("short")
		return
	}
	defer cancel()
}

// vet: clean, b.Fatalf.
func BenchmarkFatal(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	if ctx == nil {
		b.Fatalf("nil")
		return
	}
	defer cancel()
}

// vet: reported, Fatal through testing.TB is an interface call: may return.
func helperTB(tb testing.TB) {
	ctx, cancel := context.WithCancel(context.Background())
	if ctx == nil {
		tb.Fatal("nil")
		return
	}
	defer cancel()
}

// vet: reported, t.Error returns.
func TestError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	if ctx == nil {
		t.Error("nil")
		return
	}
	defer cancel()
	helperTB(t)
}
