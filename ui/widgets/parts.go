package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// Parent is a widget whose parts can be found on a screen: a guided lesson
// (ui/lessons) points at a key or a button inside it, and shows the
// learner how by pressing it. Positions of parts are relative to the
// widget, as a container's objects are to the container.
type Parent interface {
	Parts() []fyne.CanvasObject
}

// Parts is part of Parent: the keys.
func (k *Keypad) Parts() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(k.keys))
	for i, b := range k.keys {
		out[i] = b
	}
	return out
}

// Parts is part of Parent: the items, then the paging controls.
func (p *Pager) Parts() []fyne.CanvasObject {
	return append(append([]fyne.CanvasObject{}, p.items...), p.back, p.where, p.more)
}

// Parts is part of Parent: the boxes, message and keypad.
func (d *DateOfBirthEntry) Parts() []fyne.CanvasObject { return []fyne.CanvasObject{d.content} }

// Parts is part of Parent: what has been typed.
func (f *Field) Parts() []fyne.CanvasObject { return []fyne.CanvasObject{f.text} }

// Typed is the digits typed so far, day first ("1503" after four).
func (d *DateOfBirthEntry) Typed() string { return string(d.digits) }

// Walk visits every visible object under o, parents before their parts,
// with its position relative to o's origin. visit returns false to stop.
func Walk(o fyne.CanvasObject, visit func(o fyne.CanvasObject, at fyne.Position) bool) {
	walk(o, fyne.Position{}, visit)
}

func walk(o fyne.CanvasObject, at fyne.Position, visit func(fyne.CanvasObject, fyne.Position) bool) bool {
	if o == nil || !o.Visible() {
		return true
	}
	if !visit(o, at) {
		return false
	}
	var parts []fyne.CanvasObject
	switch w := o.(type) {
	case *fyne.Container:
		parts = w.Objects
	case *container.ThemeOverride:
		parts = []fyne.CanvasObject{w.Content}
	case Parent:
		parts = w.Parts()
	}
	for _, p := range parts {
		if p != nil && !walk(p, at.Add(p.Position()), visit) {
			return false
		}
	}
	return true
}
