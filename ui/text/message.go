package text

import (
	"fmt"
	"time"
)

// A Message is words to show, put into a language only when they are
// drawn: a screen built in English becomes Welsh when the patient chooses
// Welsh, without being built again, so nothing they typed is lost and no
// part of it stays in English.
type Message interface {
	In(c Catalog) string
}

// Msg is a catalogue string with its arguments. An argument that is itself
// a Message is put into the same language; anything else (a name, a
// number) is shown as it is.
type Msg struct {
	Key  Key
	Args []any
}

// M is the catalogue string k with args, for showing in any language.
func M(k Key, args ...any) Msg { return Msg{Key: k, Args: args} }

// In is m in c's language.
func (m Msg) In(c Catalog) string {
	if len(m.Args) == 0 {
		return c.T(m.Key)
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if sub, ok := a.(Message); ok {
			args[i] = sub.In(c)
			continue
		}
		args[i] = a
	}
	return c.T(m.Key, args...)
}

// String is m in English, for logs and tests.
func (m Msg) String() string { return m.In(English()) }

// Literal is words that are the same in every language: a name, a
// practice's own message, a code.
type Literal string

// In is l itself.
func (l Literal) In(Catalog) string { return string(l) }

// Day is a date as the kiosk says it: "Tuesday 3 March" (Catalog.Date).
type Day time.Time

// In is d in c's language.
func (d Day) In(c Catalog) string { return c.Date(time.Time(d)) }

// DayAt is a date and time: "Tuesday 3 March at 10:20".
type DayAt time.Time

// In is d in c's language.
func (d DayAt) In(c Catalog) string { return c.DateTime(time.Time(d)) }

// Number is a whole number as the language writes it. Every language the
// kiosk offers writes Western digits on its screens today, so it is the
// number as it is; it is a Message so that can change in one place.
type Number int

// In is n in c's language.
func (n Number) In(Catalog) string { return fmt.Sprint(int(n)) }

// Join is several messages shown one after another, separated by Sep.
type Join struct {
	Parts []Message
	Sep   string
}

// In is the parts in c's language, joined.
func (j Join) In(c Catalog) string {
	out := ""
	for i, p := range j.Parts {
		if i > 0 {
			out += j.Sep
		}
		out += p.In(c)
	}
	return out
}
