package letter

import (
	"errors"
	"strings"
)

// Errors the staff desktop can match with errors.Is. Their messages are
// sentences for staff, so Message can show them as they are.
var (
	ErrMissingDetails  = errors.New("Some details for the letter are missing.")
	ErrTooLong         = errors.New("The details are too long to fit on one page.")
	ErrCannotSave      = errors.New("The letter could not be saved there.")
	ErrPrinterNotFound = errors.New("That printer is not set up on this computer.")
	ErrPrinterStopped  = errors.New("The printer is switched off, out of paper or stopped. Check it, then try again.")
	ErrPrintFailed     = errors.New("The letter did not print. Try again, or choose another printer.")
	ErrPrintTimeout    = errors.New("The printer took too long, so the letter was not printed. Check the printer, then try again.")
)

// Error is what this package returns: the operation, one of the Err
// values above (Kind), a plain-English reason for staff, and the
// underlying cause for the log.
type Error struct {
	Op     string // e.g. "letter print"
	Kind   error
	Reason string // a sentence for staff, or ""
	Cause  error  // may be nil
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	b.WriteString(e.Kind.Error())
	if e.Reason != "" {
		b.WriteString(" ")
		b.WriteString(e.Reason)
	}
	if e.Cause != nil {
		b.WriteString(" (")
		b.WriteString(e.Cause.Error())
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap lets errors.Is match both the kind and the cause (for example
// context.DeadlineExceeded or fs.ErrPermission).
func (e *Error) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Cause}
}

// Message is the text to show staff for an error from this package: the
// kind's sentence and the reason, without Go details. Other errors get a
// general sentence.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Reason == "" {
			return e.Kind.Error()
		}
		return e.Kind.Error() + " " + e.Reason
	}
	if err == nil {
		return ""
	}
	return "Something went wrong with the letter. Try again, or ask for help."
}
