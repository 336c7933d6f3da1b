package spare_test

import (
	"testing"

	"github.com/newsfind/newsfind/internal/index/spare"
)

// A search borrows a core only while one is spare, and gives it back.
func TestCoresLendOnlySpareOnes(t *testing.T) {
	c := spare.NewCores(2)
	c.Enter()
	if !c.Borrow() {
		t.Fatal("one search on two cores: no core lent")
	}
	if c.Borrow() {
		t.Fatal("two cores busy: a third lent")
	}
	c.Leave()
	if !c.Borrow() {
		t.Fatal("a core given back is not lent again")
	}
	if n := c.Lent(); n != 2 {
		t.Errorf("%d cores said lent; want 2", n)
	}
	var none *spare.Cores
	none.Enter()
	if none.Borrow() {
		t.Fatal("nil Cores lent a core")
	}
	one := spare.NewCores(1)
	one.Enter()
	if one.Borrow() {
		t.Fatal("one core, running a search, lent to it")
	}
}
