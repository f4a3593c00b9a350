package widgets

import (
	"fyne.io/fyne/v2"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
)

// words is a widget's text.Message and the language it was last put in.
// A Text or Button with a Msg takes its words from it whenever it reads
// its theme (font()), so a change of the patient's language, which is a
// change of theme, redraws every word on the screen in the new language
// and keeps everything else (what was typed, the page shown) as it was.
type words struct {
	Msg  text.Message
	lang text.Lang
	set  bool
}

// resolve puts Msg into th's language in *s, once per language.
func (w *words) resolve(s *string, th fyne.Theme) {
	if w.Msg == nil {
		return
	}
	lang := uitheme.LangOf(th)
	if w.set && lang == w.lang {
		return
	}
	*s, w.lang, w.set = w.Msg.In(text.For(lang)), lang, true
}

// NewTextOf returns text whose words are m, in the patient's language.
func NewTextOf(m text.Message, role TextRole) *Text {
	t := NewText("", role)
	// Not SetMessage: a refresh would make the new widget's renderer now,
	// and one on a Pager's later page may never be shown.
	t.Msg = m
	t.resolve(&t.Text, t.Theme())
	return t
}

// SetMessage changes the words shown to m.
func (t *Text) SetMessage(m text.Message) {
	old := t.Text
	t.Msg, t.set = m, false
	t.resolve(&t.Text, t.Theme())
	if t.Text != old { // the same words need no redraw (the pager sets its "Page 1 of 2" on every layout)
		t.Refresh()
	}
}

// NewButtonOf returns a secondary button labelled m.
func NewButtonOf(m text.Message, tapped func()) *Button {
	b := NewButton("", tapped)
	// Not SetMessage: see NewTextOf.
	b.Msg = m
	b.resolve(&b.Text, b.Theme())
	return b
}

// NewPrimaryButtonOf returns the main action's button labelled m.
func NewPrimaryButtonOf(m text.Message, tapped func()) *Button {
	b := NewButtonOf(m, tapped)
	b.Kind = ButtonPrimary
	return b
}

// NewCheckButtonOf returns a tick-box choice labelled m.
func NewCheckButtonOf(m text.Message, changed func(bool)) *Button {
	b := NewCheckButton("", changed)
	b.Msg = m
	b.resolve(&b.Text, b.Theme())
	return b
}

// SetMessage changes the label to m.
func (b *Button) SetMessage(m text.Message) {
	old := b.Text
	b.Msg, b.set = m, false
	b.resolve(&b.Text, b.Theme())
	if b.Text != old {
		b.Refresh()
	}
}
