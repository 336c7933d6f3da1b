package search

import "fmt"

// Invalid returns an error wrapping ErrInvalid whose message, formatted like
// fmt.Sprintf, tells a client what to fix.
func Invalid(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}

type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }
func (e *invalidError) Unwrap() error { return ErrInvalid }
