package kiosk

import (
	"time"

	"fyne.io/fyne/v2"

	"gpkiosk/ui/text"
	"gpkiosk/ui/widgets"
)

// Speaker reads a screen aloud (ui/speech.Espeak). Say stops anything
// still speaking first; Stop returns once the sound has stopped.
type Speaker interface {
	Say(lang text.Lang, lines []string)
	Stop()
	Speaking() bool
	Available() bool
}

// readAloudButton is "Read this to me", or nil on a kiosk that cannot
// speak (no espeak-ng, no sound): then there is no button, and nothing
// says anything is wrong.
func (k *Kiosk) readAloudButton() fyne.CanvasObject {
	if k.cfg.Speaker == nil || !k.cfg.Speaker.Available() {
		return nil
	}
	k.readAloud = widgets.NewButtonOf(text.M(text.ReadAloud), k.toggleReadAloud)
	k.readAloud.Status = true
	return k.readAloud
}

// toggleReadAloud reads the screen, or stops reading it. Pressing it is
// the patient asking: it reads everything on the screen, their own
// details too.
func (k *Kiosk) toggleReadAloud() {
	k.touch()
	if k.cfg.Speaker.Speaking() {
		k.cfg.Speaker.Stop()
		k.readAloud.SetMessage(text.M(text.ReadAloud))
		return
	}
	k.speakScreen()
}

func (k *Kiosk) speakScreen() {
	lines := k.screenLines()
	if len(lines) == 0 {
		return
	}
	k.cfg.Speaker.Say(k.catalogue().Lang(), lines)
	k.readAloud.SetMessage(text.M(text.ReadAloudStop))
}

// SpeechEnded puts the button back to "Read this to me" when the speaker
// has finished (or stopped). Call on the UI goroutine (fyne.Do).
func (k *Kiosk) SpeechEnded() {
	if k.readAloud != nil && !k.cfg.Speaker.Speaking() {
		k.readAloud.SetMessage(text.M(text.ReadAloud))
	}
}

// screenChanged stops reading when the screen changes, and reads the new
// one when the practice has turned reading on for this visit. Read
// unasked, a screen is read only while nobody is signed in, so nothing of
// a patient's record is ever said aloud unless they asked on that screen.
func (k *Kiosk) screenChanged() {
	if k.readAloud == nil {
		return
	}
	if k.cfg.Speaker.Speaking() {
		k.cfg.Speaker.Stop()
	}
	k.readAloud.SetMessage(text.M(text.ReadAloud))
	if _, signedIn := k.signedIn(); !k.visitNow().readAloud || signedIn {
		return
	}
	// Read once the screen has been laid out, so a list reads the page of
	// choices it shows, and only if it is still the screen shown.
	screen := k.root.Objects[0]
	time.AfterFunc(readAfterLayout, func() {
		k.cfg.Do(func() {
			if _, signedIn := k.signedIn(); len(k.root.Objects) > 0 && k.root.Objects[0] == screen && !signedIn && !k.cfg.Speaker.Speaking() {
				k.speakScreen()
			}
		})
	})
}

// readAfterLayout is how long after a screen appears it is read unasked:
// a frame or two, so its lists have found their pages.
const readAfterLayout = 100 * time.Millisecond

// screenLines are the words on the current screen in reading order: its
// heading, its instructions, then each choice, as drawn in the patient's
// language.
func (k *Kiosk) screenLines() []string {
	if len(k.root.Objects) == 0 {
		return nil
	}
	var lines []string
	widgets.Walk(k.root.Objects[0], func(o fyne.CanvasObject, _ fyne.Position) bool {
		var s string
		switch w := o.(type) {
		case *widgets.Text:
			// Read even an instruction a short screen left out: it is
			// what the patient most needs to hear.
			s = w.Text
		case *widgets.Button:
			s = w.Text
		}
		if s != "" {
			lines = append(lines, s)
		}
		return true
	})
	return lines
}
