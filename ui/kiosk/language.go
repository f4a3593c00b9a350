package kiosk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"gpkiosk/ui/text"
	uitheme "gpkiosk/ui/theme"
	"gpkiosk/ui/widgets"
)

// The patient's language. The choice is in the status strip, so it is on
// the welcome screen and on every screen after: someone who finds they
// are struggling half way through can switch without starting again. It
// is part of the display settings, so it lasts for this visit only and
// goes back to English when the visit ends (EndVisit, the idle wipe).

// languageLabel is the language button's words: the language in use,
// named in itself ("Cymraeg"), which its readers know at a glance and
// others know for a choice of language.
type languageLabel struct{}

func (languageLabel) In(c text.Catalog) string {
	l, _ := text.LanguageOf(c.Lang())
	return l.Name
}

// languageChoice is one language's button on the choice of language, in
// that language's theme. They are made once per language, text size and
// contrast and kept (at most 54): each theme override keeps its own font
// caches, so making new ones each time the choice opens would grow the
// kiosk's memory visit by visit.
type languageChoice struct {
	button *widgets.Button
	shown  *container.ThemeOverride
}

// accessButtons are the status strip's choice of language and, where the
// kiosk can speak, "Read this to me".
func (k *Kiosk) accessButtons() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	if k.cfg.Display != nil {
		b := widgets.NewButtonOf(languageLabel{}, k.chooseLanguage)
		b.Status = true
		out = append(out, b)
	}
	if b := k.readAloudButton(); b != nil {
		out = append(out, b)
	}
	return out
}

// chooseLanguage shows every language, each named in itself and drawn in
// its own script's font, over the screen the patient was on; choosing
// one puts that same screen back, in the new language, with whatever
// they had typed.
func (k *Kiosk) chooseLanguage() {
	sw := k.cfg.Display
	if sw == nil {
		return
	}
	k.touch()
	k.mu.Lock()
	wasWelcome := k.onWelcome
	k.mu.Unlock()
	var back fyne.CanvasObject
	if len(k.root.Objects) > 0 {
		back = k.root.Objects[0]
	}
	scan := k.scan
	restore := func() {
		k.scan = scan
		if back == nil {
			k.showWelcome()
			return
		}
		k.setScreen(back, wasWelcome)
		// Widgets off screen missed the change of theme: draw them again.
		widgets.Walk(back, func(o fyne.CanvasObject, _ fyne.Position) bool {
			if w, ok := o.(fyne.Widget); ok {
				w.Refresh()
			}
			return true
		})
		k.touch()
	}
	current := sw.Current()
	var choices []fyne.CanvasObject
	for _, l := range text.Languages() {
		// Each name in its own script's font, whatever the screen's
		// language is now.
		own := current
		own.Lang = l.Tag
		c, ok := k.languageChoices[own]
		if !ok {
			c = &languageChoice{button: widgets.NewPrimaryButtonOf(text.Literal(l.Name), nil)}
			c.shown = container.NewThemeOverride(c.button, uitheme.NewWith(own))
			k.languageChoices[own] = c
		}
		c.button.OnTapped = func() {
			sw.SetLang(l.Tag)
			restore()
		}
		c.button.Selected = l.Tag == current.Lang || (current.Lang == "" && l.Tag == text.LangEnglish)
		c.button.Refresh()
		choices = append(choices, c.shown)
	}
	list := widgets.NewList(choices...)
	list.OnPage = k.touch
	k.scan = nil
	k.setScreen(widgets.NewPage(objs(heading(text.M(text.LanguageTitle))), list,
		objs(widgets.NewButtonOf(text.M(text.Back), restore))), false)
}
