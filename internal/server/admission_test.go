package server

import (
	"context"
	"os"
	"testing"
	"time"
)

// A slot given back goes through the network poller: release writes a
// byte to the admission's pipe and leaves the slot taken; whoever reads
// the pipe (giveBack, in searchd) frees it. Here the test reads the pipe
// in giveBack's place.
func TestReleaseGoesThroughThePoller(t *testing.T) {
	a := newAdmission(Config{MaxSearches: 1, SearchQueueWait: -1})
	if a.freed == nil {
		t.Fatal("no pipe: slots would be freed directly")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	a.freed = w // the test, not giveBack, reads what release writes
	if !a.acquire(context.Background()) {
		t.Fatal("the first search got no slot")
	}
	a.release()
	if err := r.SetReadDeadline(time.Now().Add(yieldWait)); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Read(make([]byte, 8)); n != 1 || err != nil {
		t.Fatalf("release wrote %d bytes to the pipe (%v), want 1", n, err)
	}
	if a.acquire(context.Background()) {
		t.Fatal("the slot was free before the pipe's byte was read: freed directly")
	}
	giveBackOne(a)
	if !a.acquire(context.Background()) {
		t.Fatal("no slot once the pipe's byte was read")
	}
}

// giveBackOne frees one slot of a, as giveBack does for a byte read.
func giveBackOne(a *admission) { <-a.slots }

// Through the pipe and giveBack, every slot comes back and a search
// waiting for one gets it; with the pipe closed, release frees the slot
// itself.
func TestSlotsComeBackThroughThePoller(t *testing.T) {
	a := newAdmission(Config{MaxSearches: 2, SearchQueueWait: time.Hour})
	ctx := context.Background()
	for range 2 {
		if !a.acquire(ctx) {
			t.Fatal("a search within the cap got no slot")
		}
	}
	waiting := make(chan bool)
	go func() { waiting <- a.acquire(ctx) }()
	a.release()
	select {
	case got := <-waiting:
		if !got {
			t.Fatal("the waiting search was turned away")
		}
	case <-time.After(yieldWait):
		t.Fatal("a slot given back never reached the waiting search")
	}
	a.release()
	a.release()
	deadline := time.Now().Add(yieldWait)
	for len(a.slots) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d slots still taken after every search gave its back", len(a.slots))
		}
		time.Sleep(time.Millisecond) // polling, with a deadline
	}
	a.freed.Close()
	if !a.acquire(ctx) {
		t.Fatal("no slot with every slot free")
	}
	a.release() // the pipe closed: freed directly
	if len(a.slots) != 0 {
		t.Fatal("a slot given back with the pipe closed stayed taken")
	}
}
