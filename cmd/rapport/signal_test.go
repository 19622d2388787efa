package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestStopAfterSignal: once the context is cancelled by a signal, the
// signals are let through again at once, and the process is ended when the
// work has not ended within the grace.
func TestStopAfterSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	released := make(chan struct{})
	exited := make(chan int, 1)
	var said strings.Builder
	go stopAfterSignal(ctx, func() { close(released) }, 50*time.Millisecond, &said, func(code int) { exited <- code })
	cancel()
	select {
	case <-released:
	case <-time.After(2 * time.Second):
		t.Fatal("the signals were not let through")
	}
	select {
	case code := <-exited:
		if code != 1 || !strings.Contains(said.String(), "rapport: stopped") {
			t.Errorf("exit %d, said %q", code, said.String())
		}
	case <-time.After(2 * time.Second):
		t.Fatal("not stopped after the grace")
	}
}
